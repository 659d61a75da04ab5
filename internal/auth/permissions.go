package auth

import (
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
)

// Permission is one thing a role may do. The table below is the only place
// roles are turned into permissions; the README shows it to people.
type Permission string

const (
	ClientRead  Permission = "client.read"  // search clients and open their charts
	ClientWrite Permission = "client.write" // create clients and edit demographics
	AllClients  Permission = "client.all"   // every location's clients, not only one's own locations'
	UserManage  Permission = "user.manage"  // add staff, change roles, reset passwords
	OrgManage   Permission = "org.manage"   // idle timeout, mandatory two-factor
	AuditRead   Permission = "audit.read"   // read and export the audit trail
	TokenManage Permission = "token.manage" // see and revoke everyone's API tokens
	// Evaluations and treatment plans (the clinical record of care).
	ClinicalRead  Permission = "clinical.read"  // read evaluations and plans of care, and their PDFs
	ClinicalWrite Permission = "clinical.write" // write and sign evaluations and plans, record a physician's co-signature
	// The calendar.
	ScheduleRead   Permission = "schedule.read"   // see the calendar and the waitlist
	ScheduleWrite  Permission = "schedule.write"  // book, move, check in and cancel appointments; sell packages; the waitlist
	ScheduleManage Permission = "schedule.manage" // services, packages, rooms, hours, the public page, reminders and e-mail settings, the job queue
)

var table = map[clinic.Role][]Permission{
	clinic.RoleOwner:     {ClientRead, ClientWrite, AllClients, UserManage, OrgManage, AuditRead, TokenManage, ClinicalRead, ClinicalWrite, ScheduleRead, ScheduleWrite, ScheduleManage},
	clinic.RoleTherapist: {ClientRead, ClientWrite, ClinicalRead, ClinicalWrite, ScheduleRead, ScheduleWrite},
	clinic.RoleFrontDesk: {ClientRead, ClientWrite, AllClients, ScheduleRead, ScheduleWrite},
	// A biller reads the plan of care: payers ask for it with the claim.
	clinic.RoleBiller: {ClientRead, ClientWrite, AllClients, ClinicalRead, ScheduleRead},
}

// Can reports whether role has permission p.
func Can(role clinic.Role, p Permission) bool {
	for _, x := range table[role] {
		if x == p {
			return true
		}
	}
	return false
}

// Actor is whoever is making a request: a signed-in user through a page or
// an API token, with the address the request came from.
type Actor struct {
	User        *clinic.User
	Org         *clinic.Organisation
	IP          string
	Via         string // "web", "api" or "cli"
	SessionHash string // web sessions
	TokenID     int64  // API tokens
	Session     *store.Session
}

// Can reports whether the actor's role has permission p.
func (a *Actor) Can(p Permission) bool { return a != nil && a.User != nil && Can(a.User.Role, p) }

// ClientLocations is the set of locations whose clients the actor may see:
// nil means every location of the organisation.
func (a *Actor) ClientLocations() []int64 {
	if a.Can(AllClients) {
		return nil
	}
	if a.User.LocationIDs == nil {
		return []int64{}
	}
	return a.User.LocationIDs
}

// MaySeeClient reports whether the actor may open a client of location loc.
func (a *Actor) MaySeeClient(loc int64) bool {
	if !a.Can(ClientRead) {
		return false
	}
	return a.Can(AllClients) || a.User.AtLocation(loc)
}
