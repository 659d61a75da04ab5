package schedule

import (
	"testing"
	"time"
)

func TestClaims(t *testing.T) {
	nine := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC) // 09:00 in Chicago
	s9 := nine.Unix() / 300
	appt := func(edit func(a *Appointment)) *Appointment {
		a := &Appointment{TherapistID: 2, RoomID: 5, ClientID: 9, Start: nine, End: nine.Add(time.Hour),
			BufferBefore: 10, BufferAfter: 15, Status: Booked}
		if edit != nil {
			edit(a)
		}
		return a
	}
	type span struct {
		kind       string
		id         int64
		first, end int64 // slots [first, end)
	}
	cases := []struct {
		name string
		a    *Appointment
		want []span
	}{
		{"session and buffers", appt(nil), []span{
			{ClaimClient, 9, s9, s9 + 12},   // the session only
			{ClaimRoom, 5, s9 - 2, s9 + 15}, // 08:50–10:15
			{ClaimTherapist, 2, s9 - 2, s9 + 15},
		}},
		{"no room", appt(func(a *Appointment) { a.RoomID = 0; a.BufferBefore, a.BufferAfter = 0, 0 }), []span{
			{ClaimClient, 9, s9, s9 + 12},
			{ClaimTherapist, 2, s9, s9 + 12},
		}},
		{"checked in still holds", appt(func(a *Appointment) { a.Status = CheckedIn; a.RoomID = 0 }), []span{
			{ClaimClient, 9, s9, s9 + 12},
			{ClaimTherapist, 2, s9 - 2, s9 + 15},
		}},
		{"no-show still holds", appt(func(a *Appointment) { a.Status = NoShow; a.RoomID = 0 }), []span{
			{ClaimClient, 9, s9, s9 + 12},
			{ClaimTherapist, 2, s9 - 2, s9 + 15},
		}},
		{"off the grid is widened", appt(func(a *Appointment) {
			a.Start, a.End, a.BufferBefore, a.BufferAfter, a.RoomID = nine.Add(time.Minute), nine.Add(6*time.Minute+time.Nanosecond), 0, 0, 0
		}), []span{
			{ClaimClient, 9, s9, s9 + 2},
			{ClaimTherapist, 2, s9, s9 + 2},
		}},
		{"cancelled frees its time", appt(func(a *Appointment) { a.Status = Cancelled }), nil},
		{"late-cancelled frees its time", appt(func(a *Appointment) { a.Status = LateCancelled }), nil},
		{"ends before it starts", appt(func(a *Appointment) { a.End = a.Start }), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Claims(c.a)
			var want []Claim
			for _, s := range c.want {
				for slot := s.first; slot < s.end; slot++ {
					want = append(want, Claim{s.kind, s.id, slot})
				}
			}
			if len(got) != len(want) {
				t.Fatalf("got %d claims, want %d: %v", len(got), len(want), got)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("claim %d = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
	if Claims(nil) != nil {
		t.Error("Claims(nil) is not nil")
	}
}

// What the primary key on appointment_claims does: two appointments
// collide exactly when they share a claim.
func TestClaimsCollide(t *testing.T) {
	nine := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return nine.Add(time.Duration(min) * time.Minute) }
	mk := func(th, room, client int64, s, e, bb, ba int) *Appointment {
		return &Appointment{TherapistID: th, RoomID: room, ClientID: client, Start: at(s), End: at(e), BufferBefore: bb, BufferAfter: ba, Status: Booked}
	}
	cases := []struct {
		name    string
		a, b    *Appointment
		collide bool
	}{
		{"back to back, no buffers", mk(1, 0, 1, 0, 60, 0, 0), mk(1, 0, 2, 60, 120, 0, 0), false},
		{"overlap by five minutes", mk(1, 0, 1, 0, 60, 0, 0), mk(1, 0, 2, 55, 120, 0, 0), true},
		{"turnover buffer reaches the next", mk(1, 0, 1, 0, 60, 0, 10), mk(1, 0, 2, 65, 120, 0, 0), true},
		{"buffers of two therapists in one room", mk(1, 3, 1, 0, 60, 0, 10), mk(2, 3, 2, 65, 120, 0, 0), true},
		{"different therapists and rooms", mk(1, 3, 1, 0, 60, 0, 0), mk(2, 4, 2, 0, 60, 0, 0), false},
		{"one client with two therapists", mk(1, 0, 7, 0, 60, 0, 0), mk(2, 0, 7, 30, 90, 0, 0), true},
		{"a client's buffers are not theirs", mk(1, 0, 7, 0, 60, 0, 15), mk(2, 0, 7, 60, 90, 15, 0), false},
	}
	for _, c := range cases {
		held := map[Claim]bool{}
		for _, x := range Claims(c.a) {
			held[x] = true
		}
		collide := false
		for _, x := range Claims(c.b) {
			collide = collide || held[x]
		}
		if collide != c.collide {
			t.Errorf("%s: collide = %v, want %v", c.name, collide, c.collide)
		}
	}
}

func TestOnGrid(t *testing.T) {
	chicago := zone(t, "America/Chicago")
	kolkata := zone(t, "Asia/Kolkata")
	cases := []struct {
		t    time.Time
		want bool
	}{
		{time.Date(2026, 5, 4, 9, 0, 0, 0, chicago), true},
		{time.Date(2026, 5, 4, 9, 5, 0, 0, chicago), true},
		{time.Date(2026, 5, 4, 9, 30, 0, 0, kolkata), true},
		{time.Date(2026, 5, 4, 9, 1, 0, 0, chicago), false},
		{time.Date(2026, 5, 4, 9, 5, 1, 0, chicago), false},
		{time.Date(2026, 5, 4, 9, 5, 0, 1, chicago), false},
		{time.Date(1969, 12, 31, 23, 55, 0, 0, time.UTC), true},
		{time.Date(1969, 12, 31, 23, 57, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		if got := OnGrid(c.t); got != c.want {
			t.Errorf("OnGrid(%v) = %v, want %v", c.t, got, c.want)
		}
	}
}
