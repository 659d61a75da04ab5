package demo

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// SeedEnv is what an area's demo seeder gets: the demo clinic as created so far.
type SeedEnv struct {
	App       *app.App
	Org       *clinic.Organisation
	Owner     *auth.Actor
	Locations []clinic.Location       // Downtown Austin, Round Rock
	Users     map[string]*clinic.User // by email (see Staff)
	Clients   []clinic.Client         // sorted by last name
	Today     time.Time
}

// Seeder adds an area's demo data (intakes, prescriptions, …) to a new demo clinic.
type Seeder struct {
	Name string
	// Order sorts seeders; those that need others' data run later.
	Order int
	Seed  func(ctx context.Context, env *SeedEnv) error
}

var seeders []Seeder

// Register adds an area's seeder; call it from the area file's init.
func Register(s Seeder) {
	seeders = append(seeders, s)
	sort.SliceStable(seeders, func(i, j int) bool { return seeders[i].Order < seeders[j].Order })
}

// Slug is the demo organisation's address name.
const Slug = "demo"

// Staff are the demo clinic's sign-ins.
var Staff = []struct {
	Email, Name string
	Role        clinic.Role
	Locations   []int // indexes into the two locations
}{
	{"owner@demo.test", "Dana Whitfield, LMT", clinic.RoleOwner, []int{0, 1}},
	{"maria.lopez@demo.test", "Maria Lopez, LMT", clinic.RoleTherapist, []int{0}},
	{"james.chen@demo.test", "James Chen, LMT", clinic.RoleTherapist, []int{1}},
	{"aisha.patel@demo.test", "Aisha Patel, LMT, CLT", clinic.RoleTherapist, []int{0, 1}},
	{"frontdesk@demo.test", "Sam Rivera", clinic.RoleFrontDesk, []int{0, 1}},
	{"billing@demo.test", "Priya Nair", clinic.RoleBiller, []int{0, 1}},
}

// NewPassword makes a demo password that is easy to type: four groups of four.
func NewPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))[:16]
	return s[:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// Seed creates the demo clinic on first start (and does nothing to an
// existing one except set every demo user's password to password).
// It reports whether the clinic was created now.
func Seed(ctx context.Context, a *app.App, password string, today time.Time) (bool, error) {
	db := a.DB
	hash, err := auth.HashPassword(password)
	if err != nil {
		return false, err
	}
	if org, err := db.OrgBySlug(ctx, Slug); err == nil {
		// Already there: make the printed password true.
		return false, db.Tx(ctx, func(tx *sql.Tx) error {
			us, err := db.Users(ctx, org.ID)
			if err != nil {
				return err
			}
			for _, u := range us {
				if strings.HasSuffix(u.Email, "@demo.test") {
					if err := db.SetPassword(ctx, tx, org.ID, u.ID, hash, false, ""); err != nil {
						return err
					}
				}
			}
			return nil
		})
	} else if !errs.Is(err, errs.NotFound) {
		return false, err
	}

	org := &clinic.Organisation{Name: "Riverside Medical Massage", Slug: Slug, TimeZone: "America/Chicago", IdleTimeout: clinic.DefaultIdleTimeout}
	locs := []*clinic.Location{
		{Name: "Downtown Austin", Address1: "512 W 6th St, Suite 210", City: "Austin", State: "TX", Zip: "78701", Phone: "(512) 555-0100", TimeZone: "America/Chicago"},
		{Name: "Round Rock", Address1: "1800 N Mays St, Suite 104", City: "Round Rock", State: "TX", Zip: "78664", Phone: "(737) 555-0100", TimeZone: "America/Chicago"},
	}
	var users []*clinic.User
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.CreateOrg(ctx, tx, org); err != nil {
			return err
		}
		for _, l := range locs {
			l.OrgID = org.ID
			if err := db.CreateLocation(ctx, tx, l); err != nil {
				return err
			}
		}
		for _, s := range Staff {
			u := &clinic.User{OrgID: org.ID, Email: s.Email, Name: s.Name, Role: s.Role}
			for _, i := range s.Locations {
				u.LocationIDs = append(u.LocationIDs, locs[i].ID)
			}
			if err := db.CreateUser(ctx, tx, u, hash); err != nil {
				return err
			}
			users = append(users, u)
		}
		return nil
	})
	if err != nil {
		return false, err
	}

	// Clients are added the way the front desk adds them, so the audit trail
	// starts with real entries.
	owner := &auth.Actor{User: users[0], Org: org, IP: "127.0.0.1", Via: "demo setup"}
	therapists := map[int64][]int64{}
	for _, u := range users {
		if u.Role == clinic.RoleTherapist {
			for _, l := range u.LocationIDs {
				therapists[l] = append(therapists[l], u.ID)
			}
		}
	}
	places := map[int64]Place{locs[0].ID: Austin, locs[1].ID: RoundRock}
	for _, c := range Clients(40, 20261127, []int64{locs[0].ID, locs[1].ID}, therapists, places, today) {
		c := c
		if err := a.CreateClient(ctx, owner, &c); err != nil {
			return false, err
		}
	}
	env := &SeedEnv{App: a, Org: org, Owner: owner, Today: today, Users: map[string]*clinic.User{}}
	for _, l := range locs {
		env.Locations = append(env.Locations, *l)
	}
	for _, u := range users {
		env.Users[u.Email] = u
	}
	if env.Clients, err = db.SearchClients(ctx, org.ID, clinic.ClientFilter{Limit: 200}); err != nil {
		return false, err
	}
	for _, sd := range seeders {
		if err := sd.Seed(ctx, env); err != nil {
			return false, fmt.Errorf("demo %s: %w", sd.Name, err)
		}
	}
	// A little history: a few sign-ins and chart reads by the therapists.
	for i, u := range users[1:4] {
		act := &auth.Actor{User: u, Org: org, IP: "127.0.0.1", Via: "web"}
		db.Audit(ctx, &audit.Entry{OrgID: org.ID, UserID: u.ID, Actor: u.Email, Action: audit.SignIn, RecordType: "user", RecordID: u.ID, SourceIP: "127.0.0.1", Result: audit.OK})
		cs, _ := a.SearchClients(ctx, act, clinic.ClientFilter{Limit: 3, Offset: i * 3})
		for _, c := range cs {
			a.Client(ctx, act, c.ID)
		}
	}
	return true, nil
}
