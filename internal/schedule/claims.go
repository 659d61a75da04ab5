package schedule

import (
	"cmp"
	"slices"
	"time"
)

// Kinds of claim: whose time a slot is.
const (
	ClaimTherapist = "t"
	ClaimRoom      = "r"
	ClaimClient    = "c"
)

// Claim is one Grid-long slot of a therapist, room or client held by an
// appointment: a row of appointment_claims, whose primary key (kind,
// resource_id, slot) lets only one appointment hold it.
type Claim struct {
	Kind     string // ClaimTherapist, ClaimRoom or ClaimClient
	Resource int64  // the therapist's, room's or client's ID
	Slot     int64  // Unix seconds / 300
}

const gridSec = int64(Grid / time.Second)

// Claims lists the slots a holding appointment takes: the therapist and
// (when RoomID != 0) the room for Occupies() (the session with its
// buffers), the client for [Start, End) only. Nil for a status that does
// not hold (Holds) or an appointment that does not end after it starts.
//
// Times must be on the Grid (OnGrid); one that is not is widened to the
// slots it touches, so a stray second can only over-claim, never let two
// bookings overlap. The claims come sorted by kind, resource and slot, one
// global order in which concurrent bookings take their rows.
func Claims(a *Appointment) []Claim {
	if a == nil || !Holds(a.Status) || !a.End.After(a.Start) {
		return nil
	}
	os, oe := a.Occupies()
	var out []Claim
	add := func(kind string, id int64, s, e time.Time) {
		for slot := floorDiv(floorSec(s), gridSec); slot*gridSec < ceilSec(e); slot++ {
			out = append(out, Claim{kind, id, slot})
		}
	}
	add(ClaimClient, a.ClientID, a.Start, a.End)
	if a.RoomID != 0 {
		add(ClaimRoom, a.RoomID, os, oe)
	}
	add(ClaimTherapist, a.TherapistID, os, oe)
	slices.SortFunc(out, func(x, y Claim) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Resource, y.Resource), cmp.Compare(x.Slot, y.Slot))
	})
	return out
}

// OnGrid reports whether t lies on a Grid boundary (a whole five minutes
// since the Unix epoch, which is a five-minute mark of local time in every
// zone whose offset is a whole number of five minutes: all in use today).
func OnGrid(t time.Time) bool {
	return t.Nanosecond() == 0 && floorMod(t.Unix(), gridSec) == 0
}
