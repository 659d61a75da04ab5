package app_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

var ctx = context.Background()

// each runs fn on a fresh test server of every engine.
func each(t *testing.T, fn func(t *testing.T, s *testsrv.Server)) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, testsrv.Start(t, e)) })
	}
}

// signIn signs email in with the seeded password and returns the session
// id and the actor the session gives.
func signIn(t *testing.T, s *testsrv.Server, email, ip string) (*auth.Actor, string) {
	t.Helper()
	res, err := s.App.SignIn(ctx, email, testsrv.Password, ip, "")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	a, err := s.App.Authenticate(ctx, res.SessionID, ip)
	if err != nil {
		t.Fatalf("authenticate %s: %v", email, err)
	}
	return a, res.SessionID
}

func userID(t *testing.T, s *testsrv.Server, email string) int64 {
	t.Helper()
	c, err := s.DB.CredentialsByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return c.UserID
}

// trailLen is the number of entries in the whole trail, checking it is intact.
func trailLen(t *testing.T, s *testsrv.Server) int64 {
	t.Helper()
	v, err := s.DB.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("audit trail broken: %v", v.Problems)
	}
	return v.Count
}

// audited runs fn and returns the audit entries it wrote (of any organisation), oldest first.
func audited(t *testing.T, s *testsrv.Server, fn func()) []audit.Entry {
	t.Helper()
	before := trailLen(t, s)
	fn()
	after := trailLen(t, s)
	var out []audit.Entry
	for _, org := range []int64{0, s.Org.ID, s.OtherOrg.ID} {
		es, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: org, Limit: int(after - before + 1)})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Seq > before {
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	if int64(len(out)) != after-before {
		t.Fatalf("found %d new entries, the trail grew by %d", len(out), after-before)
	}
	return out
}

// one checks that es is a single entry like want (Seq, At, hashes ignored;
// Detail checked only when want has one).
func one(t *testing.T, what string, es []audit.Entry, want audit.Entry) audit.Entry {
	t.Helper()
	if len(es) != 1 {
		var acts []string
		for _, e := range es {
			acts = append(acts, e.Action)
		}
		t.Fatalf("%s: %d audit entries %v, want exactly one %s", what, len(es), acts, want.Action)
	}
	got := es[0]
	if got.Action != want.Action || got.OrgID != want.OrgID || got.UserID != want.UserID || got.Actor != want.Actor ||
		got.RecordType != want.RecordType || got.RecordID != want.RecordID || got.SourceIP != want.SourceIP || got.Result != want.Result ||
		(want.Detail != "" && got.Detail != want.Detail) {
		t.Fatalf("%s: audit entry\n got %+v\nwant %+v", what, got, want)
	}
	if got.At.IsZero() || time.Since(got.At) > time.Hour || time.Until(got.At) > time.Hour {
		t.Errorf("%s: entry time %v", what, got.At)
	}
	return got
}

func TestClientAccessIsAudited(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "198.51.100.23"
		maria, _ := signIn(t, s, testsrv.TherapistA, ip) // Downtown only
		desk, _ := signIn(t, s, testsrv.FrontDesk, ip)
		downtown := s.ClientAt(t, s.Downtown.ID)
		roundRock := s.ClientAt(t, s.RoundRock.ID)
		as := func(a *auth.Actor, action, rtype string, id int64, result string) audit.Entry {
			return audit.Entry{Action: action, OrgID: a.User.OrgID, UserID: a.User.ID, Actor: a.User.Email, RecordType: rtype, RecordID: id, SourceIP: ip, Result: result}
		}

		// Read.
		var got *clinic.Client
		es := audited(t, s, func() {
			var err error
			if got, err = s.App.Client(ctx, maria, downtown.ID); err != nil {
				t.Fatal(err)
			}
		})
		if got.ID != downtown.ID || got.LastName != downtown.LastName {
			t.Fatalf("read %+v", got)
		}
		one(t, "read", es, as(maria, audit.ClientRead, "client", downtown.ID, audit.OK))

		// Search: the count is recorded, never the words searched for.
		var found []clinic.Client
		es = audited(t, s, func() {
			var err error
			if found, err = s.App.SearchClients(ctx, maria, clinic.ClientFilter{Query: downtown.LastName}); err != nil {
				t.Fatal(err)
			}
		})
		for _, c := range found {
			if c.PreferredLocationID != s.Downtown.ID {
				t.Errorf("therapist's search found a client of location %d", c.PreferredLocationID)
			}
		}
		want := as(maria, audit.ClientSearch, "client", 0, audit.OK)
		want.Detail = "results " + itoa(len(found))
		one(t, "search", es, want)

		// Create.
		nc := &clinic.Client{FirstName: "Quentin", LastName: "Auditfield", DOB: "03/04/1985", Phone: "512 555 0111", PreferredLocationID: s.Downtown.ID}
		es = audited(t, s, func() {
			if err := s.App.CreateClient(ctx, desk, nc); err != nil {
				t.Fatal(err)
			}
		})
		if nc.ID == 0 {
			t.Fatal("no id after create")
		}
		one(t, "create", es, as(desk, audit.ClientCreate, "client", nc.ID, audit.OK))

		// Update: the fields changed are named, their values are not.
		last, city := "Auditfield-Jones", "Pflugerville"
		var updated *clinic.Client
		es = audited(t, s, func() {
			var err error
			if updated, err = s.App.UpdateClient(ctx, desk, nc.ID, nc.Version, clinic.ClientUpdate{LastName: &last, City: &city}); err != nil {
				t.Fatal(err)
			}
		})
		if updated.Version != nc.Version+1 || updated.LastName != last {
			t.Fatalf("updated %+v", updated)
		}
		want = as(desk, audit.ClientUpdate, "client", nc.ID, audit.OK)
		want.Detail = "changed last_name, address"
		one(t, "update", es, want)

		// A stale version changes nothing and records nothing.
		es = audited(t, s, func() {
			if _, err := s.App.UpdateClient(ctx, desk, nc.ID, nc.Version, clinic.ClientUpdate{City: &city}); errs.Code(err) != errs.Conflict {
				t.Fatalf("stale update: %v", err)
			}
		})
		if len(es) != 0 {
			t.Fatalf("a refused stale update was audited: %+v", es)
		}

		// Denied: a client of a location the therapist does not work at.
		es = audited(t, s, func() {
			if c, err := s.App.Client(ctx, maria, roundRock.ID); errs.Code(err) != errs.Forbidden || c != nil {
				t.Fatalf("therapist read another location's client: %v", err)
			}
		})
		want = as(maria, audit.Denied, "client", roundRock.ID, audit.Refused)
		want.Detail = "tried client.read"
		one(t, "read at another location", es, want)
		if audit.Refused != "denied" {
			t.Fatalf("denied result is %q", audit.Refused)
		}

		// Denied: another organisation's client is not found, and the attempt is recorded.
		es = audited(t, s, func() {
			if c, err := s.App.Client(ctx, maria, s.OtherClient.ID); errs.Code(err) != errs.NotFound || c != nil {
				t.Fatalf("read another organisation's client: %v", err)
			}
		})
		want = as(maria, audit.Denied, "client", s.OtherClient.ID, audit.Refused)
		want.Detail = "tried client.read"
		one(t, "read in another organisation", es, want)

		// Denied: changing another location's client.
		es = audited(t, s, func() {
			if _, err := s.App.UpdateClient(ctx, maria, roundRock.ID, 0, clinic.ClientUpdate{City: &city}); errs.Code(err) != errs.Forbidden {
				t.Fatalf("therapist changed another location's client: %v", err)
			}
		})
		want = as(maria, audit.Denied, "client", roundRock.ID, audit.Refused)
		want.Detail = "tried client.update"
		one(t, "update at another location", es, want)
		if c, _ := s.DB.Client(ctx, s.Org.ID, roundRock.ID); c.City == city || c.Version != roundRock.Version {
			t.Fatalf("denied update was saved: %+v", c)
		}

		// Denied: something the role does not allow at all.
		es = audited(t, s, func() {
			if _, err := s.App.Users(ctx, maria); errs.Code(err) != errs.Forbidden {
				t.Fatalf("therapist listed users: %v", err)
			}
		})
		want = as(maria, audit.Denied, "", 0, audit.Refused)
		want.Detail = "tried user.list"
		one(t, "user list", es, want)

		// The API says so in the entry.
		api := *maria
		api.Via, api.SessionHash = "api", ""
		es = audited(t, s, func() {
			if _, err := s.App.Client(ctx, &api, downtown.ID); err != nil {
				t.Fatal(err)
			}
		})
		want = as(maria, audit.ClientRead, "client", downtown.ID, audit.OK)
		want.Detail = "via api"
		one(t, "read through the API", es, want)

		noHealthInformation(t, s)
	})
}

// noHealthInformation checks that no audit entry's detail (or actor) holds
// a client's name, date of birth or contact details.
func noHealthInformation(t *testing.T, s *testsrv.Server) {
	t.Helper()
	var clients []clinic.Client
	for _, org := range []int64{s.Org.ID, s.OtherOrg.ID} {
		for off := 0; ; off += 200 {
			cs, err := s.DB.SearchClients(ctx, org, clinic.ClientFilter{Limit: 200, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			clients = append(clients, cs...)
			if len(cs) < 200 {
				break
			}
		}
	}
	if len(clients) < 41 {
		t.Fatalf("only %d clients seeded", len(clients))
	}
	var entries []audit.Entry
	for _, org := range []int64{0, s.Org.ID, s.OtherOrg.ID} {
		es, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: org})
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, es...)
	}
	if len(entries) < 50 {
		t.Fatalf("only %d audit entries", len(entries))
	}
	for _, c := range clients {
		us := ""
		if len(c.DOB) == 10 {
			us = c.DOB[5:7] + "/" + c.DOB[8:10] + "/" + c.DOB[:4]
		}
		secrets := []string{c.FirstName, c.LastName, c.PreferredName, c.DOB, us, c.Phone, clinic.Digits(c.Phone), c.Email, c.Address1}
		for _, e := range entries {
			for _, sec := range secrets {
				if len(sec) < 3 {
					continue
				}
				if strings.Contains(strings.ToLower(e.Detail), strings.ToLower(sec)) || strings.Contains(e.Actor, sec) {
					t.Errorf("audit entry %d (%s, detail %q) holds client %d's %q", e.Seq, e.Action, e.Detail, c.ID, sec)
				}
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestSignIn(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.10"
		id := userID(t, s, testsrv.TherapistA)
		var res *app.SignInResult
		es := audited(t, s, func() {
			var err error
			if res, err = s.App.SignIn(ctx, "  Maria.Lopez@Demo.test ", testsrv.Password, ip, ""); err != nil {
				t.Fatal(err)
			}
		})
		if res.SessionID == "" || res.NeedMFA || res.NeedEnrol {
			t.Fatalf("sign-in result %+v", res)
		}
		one(t, "sign-in", es, audit.Entry{Action: audit.SignIn, OrgID: s.Org.ID, UserID: id, Actor: testsrv.TherapistA, RecordType: "user", RecordID: id, SourceIP: ip, Result: audit.OK})
		a, err := s.App.Authenticate(ctx, res.SessionID, ip)
		if err != nil || a.User.ID != id || !a.Session.MFAOK {
			t.Fatalf("authenticate: %+v, %v", a, err)
		}
		// The session id is not stored as it is.
		if _, err := s.DB.SessionByHash(ctx, res.SessionID); err == nil {
			t.Fatal("session found by its plain id")
		}

		// Signing in again ends the previous session.
		res2, err := s.App.SignIn(ctx, testsrv.TherapistA, testsrv.Password, ip, auth.HashToken(res.SessionID))
		if err != nil || res2.SessionID == res.SessionID {
			t.Fatalf("second sign-in: %+v, %v", res2, err)
		}
		if _, err := s.App.Authenticate(ctx, res.SessionID, ip); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("old session still works: %v", err)
		}

		var wrongErr, unknownErr error
		es = audited(t, s, func() {
			_, wrongErr = s.App.SignIn(ctx, testsrv.TherapistA, "not the password", ip, "")
		})
		if errs.Code(wrongErr) != errs.Unauthorized {
			t.Fatalf("wrong password: %v", wrongErr)
		}
		one(t, "wrong password", es, audit.Entry{Action: audit.SignInFailed, OrgID: s.Org.ID, UserID: id, Actor: testsrv.TherapistA, RecordType: "user", RecordID: id, SourceIP: ip, Result: audit.Failure})

		es = audited(t, s, func() {
			_, unknownErr = s.App.SignIn(ctx, "Nobody@Demo.test", testsrv.Password, ip, "")
		})
		if errs.Code(unknownErr) != errs.Unauthorized {
			t.Fatalf("unknown email: %v", unknownErr)
		}
		// Whether an email has an account cannot be told from the answer.
		if errs.Message(unknownErr) != errs.Message(wrongErr) {
			t.Errorf("unknown email says %q, wrong password %q", errs.Message(unknownErr), errs.Message(wrongErr))
		}
		one(t, "unknown email", es, audit.Entry{Action: audit.SignInFailed, Actor: "nobody@demo.test", RecordType: "user", SourceIP: ip, Result: audit.Failure, Detail: "unknown email"})

		// Sign-out.
		a, err = s.App.Authenticate(ctx, res2.SessionID, ip)
		if err != nil {
			t.Fatal(err)
		}
		es = audited(t, s, func() {
			if err := s.App.SignOut(ctx, a); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "sign-out", es, audit.Entry{Action: audit.SignOut, OrgID: s.Org.ID, UserID: id, Actor: testsrv.TherapistA, RecordType: "user", RecordID: id, SourceIP: ip, Result: audit.OK})
		if _, err := s.App.Authenticate(ctx, res2.SessionID, ip); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("session works after sign-out: %v", err)
		}
	})
}

func TestLockout(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.20"
		id := userID(t, s, testsrv.TherapistB)
		for i := 1; i <= app.MaxFailures; i++ {
			_, err := s.App.SignIn(ctx, testsrv.TherapistB, "wrong password", ip, "")
			want := errs.Unauthorized
			if i == app.MaxFailures {
				want = errs.Locked
			}
			if errs.Code(err) != want {
				t.Fatalf("failure %d: %v, want %s", i, err, want)
			}
		}
		// The right password is refused while locked, and the attempt is recorded.
		es := audited(t, s, func() {
			_, err := s.App.SignIn(ctx, testsrv.TherapistB, testsrv.Password, ip, "")
			if errs.Code(err) != errs.Locked || !strings.Contains(errs.Message(err), "locked") {
				t.Fatalf("locked account accepted the right password: %v", err)
			}
		})
		one(t, "locked", es, audit.Entry{Action: audit.SignInLocked, OrgID: s.Org.ID, UserID: id, Actor: testsrv.TherapistB, RecordType: "user", RecordID: id, SourceIP: ip, Result: audit.Failure, Detail: "account locked"})
		// Another account is not affected.
		signIn(t, s, testsrv.TherapistA, ip)

		s.Advance(app.LockFor - time.Minute)
		if _, err := s.App.SignIn(ctx, testsrv.TherapistB, testsrv.Password, ip, ""); errs.Code(err) != errs.Locked {
			t.Fatalf("a minute before the lock ends: %v", err)
		}
		s.Advance(time.Minute + time.Second)
		if _, err := s.App.SignIn(ctx, testsrv.TherapistB, testsrv.Password, ip, ""); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		// A good sign-in starts the count again.
		for i := 1; i < app.MaxFailures; i++ {
			if _, err := s.App.SignIn(ctx, testsrv.TherapistB, "wrong password", ip, ""); errs.Code(err) != errs.Unauthorized {
				t.Fatalf("failure %d after unlock: %v", i, err)
			}
		}
		if _, err := s.App.SignIn(ctx, testsrv.TherapistB, testsrv.Password, ip, ""); err != nil {
			t.Fatalf("locked before %d failures: %v", app.MaxFailures, err)
		}
	})
}

func TestIdleTimeout(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.30"
		idle := s.Org.IdleTimeout
		if idle != clinic.DefaultIdleTimeout {
			t.Fatalf("demo idle timeout %v", idle)
		}
		_, sid := signIn(t, s, testsrv.FrontDesk, ip)
		// Activity keeps the session alive.
		for range 3 {
			s.Advance(idle - time.Minute)
			if _, err := s.App.Authenticate(ctx, sid, ip); err != nil {
				t.Fatalf("active session ended: %v", err)
			}
		}
		s.Advance(idle + time.Second)
		id := userID(t, s, testsrv.FrontDesk)
		es := audited(t, s, func() {
			_, err := s.App.Authenticate(ctx, sid, ip)
			if errs.Code(err) != errs.Unauthorized || !strings.Contains(errs.Message(err), "15 minutes") {
				t.Fatalf("idle session: %v", err)
			}
		})
		one(t, "idle sign-out", es, audit.Entry{Action: audit.SignOut, OrgID: s.Org.ID, UserID: id, Actor: testsrv.FrontDesk, RecordType: "user", RecordID: id, SourceIP: ip, Result: audit.OK, Detail: "idle timeout"})
		if _, err := s.DB.SessionByHash(ctx, auth.HashToken(sid)); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("idle session row still there: %v", err)
		}
		if _, err := s.App.Authenticate(ctx, sid, ip); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("idle session came back: %v", err)
		}
	})
}

// wrongCode is a 6-digit code that is not right for secret at any step VerifyTOTP accepts at now.
func wrongCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	right := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := auth.TOTPCode(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		right[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !right[c] {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

func code(t *testing.T, s *testsrv.Server, secret string) string {
	t.Helper()
	c, err := auth.TOTPCode(secret, s.DB.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTP(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.40"
		s.Advance(0) // hold the clock, so codes and steps are exact
		id := userID(t, s, testsrv.TherapistA)
		a, _ := signIn(t, s, testsrv.TherapistA, ip)
		secret, uri, err := s.App.BeginTOTP(ctx, a)
		if err != nil || len(secret) != 32 || !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
			t.Fatalf("begin: %q %q %v", secret, uri, err)
		}
		// Not in force until confirmed.
		if res, err := s.App.SignIn(ctx, testsrv.TherapistA, testsrv.Password, ip, ""); err != nil || res.NeedMFA {
			t.Fatalf("unconfirmed two-factor asked for: %+v %v", res, err)
		}
		if err := s.App.ConfirmTOTP(ctx, a, wrongCode(t, secret, s.DB.Now())); errs.Code(err) != errs.Invalid {
			t.Fatalf("confirm with a wrong code: %v", err)
		}
		es := audited(t, s, func() {
			if err := s.App.ConfirmTOTP(ctx, a, code(t, s, secret)); err != nil {
				t.Fatalf("confirm: %v", err)
			}
		})
		as := audit.Entry{OrgID: s.Org.ID, UserID: id, Actor: testsrv.TherapistA, RecordType: "user", RecordID: id, SourceIP: ip}
		want := as
		want.Action, want.Result = audit.MFAEnabled, audit.OK
		one(t, "enable", es, want)

		// The next sign-in needs a code; the session is not yet trusted.
		s.Advance(30 * time.Second)
		res, err := s.App.SignIn(ctx, testsrv.TherapistA, testsrv.Password, ip, "")
		if err != nil || !res.NeedMFA || res.NeedEnrol {
			t.Fatalf("sign-in with two-factor: %+v %v", res, err)
		}
		a2, err := s.App.Authenticate(ctx, res.SessionID, ip)
		if err != nil || a2.Session.MFAOK {
			t.Fatalf("session before the code: %+v %v", a2, err)
		}
		es = audited(t, s, func() {
			if err := s.App.VerifyMFA(ctx, a2, wrongCode(t, secret, s.DB.Now())); errs.Code(err) != errs.Invalid {
				t.Fatalf("wrong code: %v", err)
			}
		})
		want = as
		want.Action, want.Result = audit.MFAFailed, audit.Failure
		one(t, "wrong code", es, want)
		if sess, _ := s.DB.SessionByHash(ctx, a2.SessionHash); sess.MFAOK {
			t.Fatal("wrong code marked the session")
		}

		good := code(t, s, secret)
		es = audited(t, s, func() {
			if err := s.App.VerifyMFA(ctx, a2, good); err != nil {
				t.Fatalf("right code: %v", err)
			}
		})
		want = as
		want.Action, want.Result, want.Detail = audit.SignIn, audit.OK, "two-factor code accepted"
		one(t, "right code", es, want)
		if sess, err := s.DB.SessionByHash(ctx, a2.SessionHash); err != nil || !sess.MFAOK {
			t.Fatalf("session after the code: %+v %v", sess, err)
		}

		// The same code again, in another session, is refused.
		res, err = s.App.SignIn(ctx, testsrv.TherapistA, testsrv.Password, ip, "")
		if err != nil || !res.NeedMFA {
			t.Fatalf("third sign-in: %+v %v", res, err)
		}
		a3, err := s.App.Authenticate(ctx, res.SessionID, ip)
		if err != nil {
			t.Fatal(err)
		}
		es = audited(t, s, func() {
			if err := s.App.VerifyMFA(ctx, a3, good); errs.Code(err) != errs.Invalid {
				t.Fatalf("replayed code: %v", err)
			}
		})
		want = as
		want.Action, want.Result, want.Detail = audit.MFAFailed, audit.Failure, "code already used"
		one(t, "replayed code", es, want)
		if sess, _ := s.DB.SessionByHash(ctx, a3.SessionHash); sess.MFAOK {
			t.Fatal("replayed code marked the session")
		}
		// So is the code of the step before (still in the drift window).
		s.Advance(30 * time.Second)
		if err := s.App.VerifyMFA(ctx, a3, good); errs.Code(err) != errs.Invalid {
			t.Fatalf("code of a used step: %v", err)
		}
		// The next code works.
		if err := s.App.VerifyMFA(ctx, a3, code(t, s, secret)); err != nil {
			t.Fatalf("next code: %v", err)
		}
	})
}

func TestRequireMFA(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.50"
		owner, _ := signIn(t, s, testsrv.Owner, ip)
		maria, _ := signIn(t, s, testsrv.TherapistA, ip)

		// Only an owner may.
		es := audited(t, s, func() {
			if err := s.App.UpdateOrgSecurity(ctx, maria, 30*time.Minute, true); errs.Code(err) != errs.Forbidden {
				t.Fatalf("therapist changed security settings: %v", err)
			}
		})
		one(t, "therapist", es, audit.Entry{Action: audit.Denied, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: testsrv.TherapistA, SourceIP: ip, Result: audit.Refused, Detail: "tried org.update"})

		es = audited(t, s, func() {
			if err := s.App.UpdateOrgSecurity(ctx, owner, 30*time.Minute, true); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "owner", es, audit.Entry{Action: audit.OrgUpdate, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: testsrv.Owner, RecordType: "org", RecordID: s.Org.ID, SourceIP: ip, Result: audit.OK, Detail: "idle timeout 30m0s, two-factor required"})
		org, err := s.DB.Org(ctx, s.Org.ID)
		if err != nil || !org.RequireMFA || org.IdleTimeout != 30*time.Minute {
			t.Fatalf("org after update: %+v %v", org, err)
		}
		if other, _ := s.DB.Org(ctx, s.OtherOrg.ID); other.RequireMFA {
			t.Fatal("the other organisation now requires two-factor")
		}

		res, err := s.App.SignIn(ctx, testsrv.FrontDesk, testsrv.Password, ip, "")
		if err != nil || !res.NeedEnrol || res.NeedMFA {
			t.Fatalf("user without two-factor: %+v %v", res, err)
		}
		if res, err := s.App.SignIn(ctx, testsrv.OtherTherapist, testsrv.Password, ip, ""); err != nil || res.NeedEnrol {
			t.Fatalf("other organisation's user: %+v %v", res, err)
		}
		// Once enrolled, a code is asked for instead.
		s.Advance(0)
		desk, _ := signIn(t, s, testsrv.FrontDesk, ip)
		secret, _, err := s.App.BeginTOTP(ctx, desk)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.App.ConfirmTOTP(ctx, desk, code(t, s, secret)); err != nil {
			t.Fatal(err)
		}
		res, err = s.App.SignIn(ctx, testsrv.FrontDesk, testsrv.Password, ip, "")
		if err != nil || res.NeedEnrol || !res.NeedMFA {
			t.Fatalf("enrolled user: %+v %v", res, err)
		}
	})
}

func TestResetPassword(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "203.0.113.60"
		const newPassword = "a brand new temporary password"
		owner, ownerSID := signIn(t, s, testsrv.Owner, ip)
		maria, _ := signIn(t, s, testsrv.TherapistA, ip)
		_, jamesSID := signIn(t, s, testsrv.TherapistB, ip)
		_, jamesSID2 := signIn(t, s, testsrv.TherapistB, "203.0.113.61")
		james := userID(t, s, testsrv.TherapistB)

		// A therapist may not.
		es := audited(t, s, func() {
			if err := s.App.ResetPassword(ctx, maria, james, newPassword); errs.Code(err) != errs.Forbidden {
				t.Fatalf("therapist reset a password: %v", err)
			}
		})
		one(t, "therapist", es, audit.Entry{Action: audit.Denied, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: testsrv.TherapistA, SourceIP: ip, Result: audit.Refused, Detail: "tried auth.password_reset"})
		if _, err := s.App.Authenticate(ctx, jamesSID, ip); err != nil {
			t.Fatalf("refused reset ended the user's session: %v", err)
		}
		if _, err := s.App.SignIn(ctx, testsrv.TherapistB, newPassword, ip, ""); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("refused reset changed the password: %v", err)
		}

		// Too short.
		if err := s.App.ResetPassword(ctx, owner, james, "short"); errs.Code(err) != errs.Invalid {
			t.Fatalf("short password: %v", err)
		}
		// Not in another organisation.
		other := userID(t, s, testsrv.OtherTherapist)
		if err := s.App.ResetPassword(ctx, owner, other, newPassword); errs.Code(err) != errs.NotFound {
			t.Fatalf("reset another organisation's user: %v", err)
		}
		if _, err := s.App.SignIn(ctx, testsrv.OtherTherapist, testsrv.Password, ip, ""); err != nil {
			t.Fatalf("other organisation's user lost their password: %v", err)
		}

		es = audited(t, s, func() {
			if err := s.App.ResetPassword(ctx, owner, james, newPassword); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "owner", es, audit.Entry{Action: audit.PasswordReset, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: testsrv.Owner, RecordType: "user", RecordID: james, SourceIP: ip, Result: audit.OK})
		u, err := s.DB.User(ctx, s.Org.ID, james)
		if err != nil || !u.MustChangePassword {
			t.Fatalf("user after reset: %+v %v", u, err)
		}
		for _, sid := range []string{jamesSID, jamesSID2} {
			if _, err := s.App.Authenticate(ctx, sid, ip); errs.Code(err) != errs.Unauthorized {
				t.Fatalf("the user's session survived the reset: %v", err)
			}
		}
		if _, err := s.App.Authenticate(ctx, ownerSID, ip); err != nil {
			t.Fatalf("the owner's own session ended: %v", err)
		}
		if _, err := s.App.SignIn(ctx, testsrv.TherapistB, testsrv.Password, ip, ""); errs.Code(err) != errs.Unauthorized {
			t.Fatalf("old password still works: %v", err)
		}
		res, err := s.App.SignIn(ctx, testsrv.TherapistB, newPassword, ip, "")
		if err != nil {
			t.Fatalf("new password: %v", err)
		}
		a, err := s.App.Authenticate(ctx, res.SessionID, ip)
		if err != nil || !a.User.MustChangePassword {
			t.Fatalf("signed in after reset: %+v %v", a, err)
		}
		// Changing it clears the flag.
		if err := s.App.ChangePassword(ctx, a, newPassword, "my very own new password"); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.DB.User(ctx, s.Org.ID, james); u.MustChangePassword {
			t.Fatal("must change password still set after the change")
		}
	})
}
