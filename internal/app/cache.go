package app

import (
	"context"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// cacheTTL bounds how stale an organisation's settings, locations and staff
// names may be on another server process; this process forgets them at
// once when it changes them. Roles and sign-in rights are never cached.
const cacheTTL = 5 * time.Second

type cached[T any] struct {
	v  T
	at time.Time
}

// orgCache keeps what nearly every page reads and rarely changes.
type orgCache struct {
	mu    sync.Mutex
	orgs  map[int64]cached[*clinic.Organisation]
	locs  map[int64]cached[[]clinic.Location]
	staff map[int64]cached[[]clinic.User]
	// intake settings: how long links last, yearly updates (every chart reads them)
	intake map[int64]cached[store.IntakeSettings]
	rom    map[int64]cached[assess.Thresholds]
	policy map[int64]cached[schedule.Policy]
	// the lists of services and rooms a calendar view shows (bookings read
	// them fresh)
	services map[int64]cached[[]schedule.Service]
	rooms    map[int64]cached[[]schedule.Room]
}

func (c *orgCache) forget(orgID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.orgs, orgID)
	delete(c.locs, orgID)
	delete(c.staff, orgID)
	delete(c.intake, orgID)
	delete(c.rom, orgID)
	delete(c.policy, orgID)
	delete(c.services, orgID)
	delete(c.rooms, orgID)
}

// services is the organisation's whole menu, active and retired. Callers must not modify it.
func (s *App) services(ctx context.Context, orgID int64) ([]schedule.Service, error) {
	return lookup(&s.cache, &s.cache.services, orgID, func() ([]schedule.Service, error) { return s.DB.Services(ctx, orgID, false) })
}

// rooms is every location's rooms. Callers must not modify it.
func (s *App) rooms(ctx context.Context, orgID int64) ([]schedule.Room, error) {
	return lookup(&s.cache, &s.cache.rooms, orgID, func() ([]schedule.Room, error) { return s.DB.Rooms(ctx, orgID, 0) })
}

func (s *App) romThresholds(ctx context.Context, orgID int64) (assess.Thresholds, error) {
	return lookup(&s.cache, &s.cache.rom, orgID, func() (assess.Thresholds, error) { return s.DB.ROMThresholds(ctx, orgID) })
}

func (s *App) intakeSettings(ctx context.Context, orgID int64) (store.IntakeSettings, error) {
	return lookup(&s.cache, &s.cache.intake, orgID, func() (store.IntakeSettings, error) { return s.DB.IntakeSettingsOf(ctx, orgID) })
}

func lookup[T any](c *orgCache, m *map[int64]cached[T], id int64, load func() (T, error)) (T, error) {
	c.mu.Lock()
	if e, ok := (*m)[id]; ok && time.Since(e.at) < cacheTTL {
		c.mu.Unlock()
		return e.v, nil
	}
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if *m == nil {
		*m = map[int64]cached[T]{}
	}
	(*m)[id] = cached[T]{v, time.Now()}
	c.mu.Unlock()
	return v, nil
}

// org returns an organisation, from the cache when fresh. Callers must not modify it.
func (s *App) org(ctx context.Context, id int64) (*clinic.Organisation, error) {
	return lookup(&s.cache, &s.cache.orgs, id, func() (*clinic.Organisation, error) { return s.DB.Org(ctx, id) })
}

func (s *App) locations(ctx context.Context, orgID int64) ([]clinic.Location, error) {
	return lookup(&s.cache, &s.cache.locs, orgID, func() ([]clinic.Location, error) { return s.DB.Locations(ctx, orgID) })
}

func (s *App) staff(ctx context.Context, orgID int64) ([]clinic.User, error) {
	return lookup(&s.cache, &s.cache.staff, orgID, func() ([]clinic.User, error) { return s.DB.Users(ctx, orgID) })
}
