package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

const testPassword = "a long enough password"

// fascia runs the command in-process and returns its exit code and output.
func fascia(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// noEnv keeps the caller's environment from choosing a database or password.
func noEnv(t *testing.T) {
	t.Setenv("FASCIA_DB", "")
	t.Setenv("FASCIA_PASSWORD", "")
}

func openDB(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		code, out, _ := fascia(t, arg)
		if code != 0 || !strings.HasPrefix(out, "fascia ") || len(strings.TrimSpace(out)) <= len("fascia") {
			t.Errorf("%s: exit %d, %q", arg, code, out)
		}
	}
}

func TestHelp(t *testing.T) {
	noEnv(t)
	for _, tc := range []struct {
		cmd  []string
		says string
	}{
		{[]string{"demo"}, "demo organisation"},
		{[]string{"serve"}, "Runs the clinic server"},
		{[]string{"migrate"}, "Applies pending database migrations"},
		{[]string{"user", "add"}, "Adds a user"},
		{[]string{"token", "create"}, "Prints a new API token"},
		{[]string{"audit", "verify"}, "hash chain"},
	} {
		for _, h := range []string{"--help", "-h"} {
			name := strings.Join(tc.cmd, " ")
			code, out, errOut := fascia(t, append(tc.cmd, h)...)
			if code != 0 {
				t.Errorf("%s %s: exit %d", name, h, code)
			}
			if !strings.Contains(errOut, "Usage: fascia "+name+" [flags]") || !strings.Contains(errOut, tc.says) || !strings.Contains(errOut, "-db") {
				t.Errorf("%s %s: help does not say what it does:\n%s", name, h, errOut)
			}
			if strings.Contains(errOut, "fascia:") || out != "" {
				t.Errorf("%s %s: help printed an error or ran: stdout %q stderr %q", name, h, out, errOut)
			}
		}
	}
	for _, h := range []string{"help", "--help", "-h"} {
		code, out, _ := fascia(t, h)
		if code != 0 || !strings.Contains(out, "Commands:") || !strings.Contains(out, "audit verify") {
			t.Errorf("%s: exit %d, %q", h, code, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"user", "delete"}, {"token"}, {"audit", "--db", "x"}, {}} {
		code, out, errOut := fascia(t, args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(errOut, "Usage: fascia <command>") || out != "" {
			t.Errorf("%q: stdout %q stderr %q", args, out, errOut)
		}
		if len(args) > 0 && !strings.Contains(errOut, "unknown command") {
			t.Errorf("%q: %q does not say the command is unknown", args, errOut)
		}
	}
}

func TestBadFlag(t *testing.T) {
	for _, args := range [][]string{
		{"migrate", "--no-such-flag"},
		{"user", "add", "--email"},
		{"serve", "--secure-cookies=maybe"},
		{"audit", "verify", "-db"},
	} {
		code, out, errOut := fascia(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "Usage: fascia ") || strings.Contains(errOut, "went wrong") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 with the usage", args, code, out, errOut)
		}
	}
}

func TestMigrate(t *testing.T) {
	noEnv(t)
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			for i := range 2 { // the second run finds nothing to do
				code, out, errOut := fascia(t, "migrate", "--db", dsn)
				if code != 0 || out != fmt.Sprintf("database is up to date (%s)\n", e) {
					t.Fatalf("run %d: exit %d, stdout %q, stderr %q", i, code, out, errOut)
				}
			}
			db := openDB(t, dsn)
			if db.Engine != e {
				t.Fatalf("engine %s", db.Engine)
			}
			v, err := db.VerifyAudit(context.Background())
			if err != nil || !v.OK() || v.Count != 0 {
				t.Fatalf("fresh trail: %+v %v", v, err)
			}
		})
	}
}

func TestMigrateUnreachableDatabase(t *testing.T) {
	code, _, errOut := fascia(t, "migrate", "--db", t.TempDir()+"/no/such/dir/x.db")
	if code != 1 || !strings.HasPrefix(errOut, "fascia: ") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}

type counts struct{ orgs, users, audit int }

func count(t *testing.T, dsn string) counts {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var c counts
	orgs, err := db.Orgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.orgs = len(orgs)
	for _, o := range orgs {
		us, err := db.Users(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.users += len(us)
	}
	v, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("trail broken: %v", v.Problems)
	}
	c.audit = int(v.Count)
	return c
}

var tokenRE = regexp.MustCompile(`^fsc_\S{20,}\n$`)

func TestUserAndToken(t *testing.T) {
	noEnv(t)
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			t.Setenv("FASCIA_PASSWORD", testPassword)

			// Bad input before anything exists: nothing is created.
			for _, bad := range []struct {
				args []string
				says string
			}{
				{[]string{"--role", "wizard"}, "--role: Choose owner, therapist"},
				{[]string{"--email", "not-an-email"}, "--email: Enter an email address"},
				{[]string{"--email", ""}, "--email: Enter an email address"},
				{[]string{"--name", " "}, "--name: Enter the person's name"},
				{[]string{"--org", "Bad Slug!"}, "--slug: Use 2–41 lower-case letters"},
				{[]string{"--time-zone", "Mars/Olympus"}, "--time-zone: Use an IANA time zone"},
			} {
				args := []string{"user", "add", "--db", dsn, "--new-org", "Test Clinic", "--org", "test-clinic", "--email", "a@b.test", "--name", "A", "--role", "owner"}
				code, out, errOut := fascia(t, append(args, bad.args...)...)
				if code != 1 || !strings.Contains(errOut, bad.says) || !strings.HasPrefix(errOut, "fascia: ") {
					t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 saying %q", bad.args, code, out, errOut, bad.says)
				}
				if c := count(t, dsn); c != (counts{}) {
					t.Errorf("%q: something was created: %+v", bad.args, c)
				}
			}
			t.Setenv("FASCIA_PASSWORD", "short")
			code, _, errOut := fascia(t, "user", "add", "--db", dsn, "--new-org", "Test Clinic", "--org", "test-clinic", "--email", "a@b.test", "--name", "A", "--role", "owner")
			if code != 1 || !strings.Contains(errOut, "--password: Use at least 10 characters") {
				t.Errorf("short FASCIA_PASSWORD: exit %d, %q", code, errOut)
			}
			if c := count(t, dsn); c != (counts{}) {
				t.Errorf("short password: something was created: %+v", c)
			}
			t.Setenv("FASCIA_PASSWORD", testPassword)
			code, _, errOut = fascia(t, "user", "add", "--db", dsn, "--email", "a@b.test", "--name", "A", "--role", "owner")
			if code != 1 || !strings.Contains(errOut, "There is no organisation yet") {
				t.Errorf("no organisation: exit %d, %q", code, errOut)
			}

			// The first owner, with a new organisation.
			code, out, errOut := fascia(t, "user", "add", "--db", dsn, "--new-org", "Test Clinic", "--org", "test-clinic", "--email", "a@b.test", "--name", "A", "--role", "owner")
			if code != 0 || out != "added a@b.test (Owner) to Test Clinic [test-clinic]\n" {
				t.Fatalf("first owner: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			// A therapist at the location the organisation was made with.
			code, out, errOut = fascia(t, "user", "add", "--db", dsn, "--email", "t@b.test", "--name", "T", "--role", "therapist", "--location", "Main")
			if code != 0 || out != "added t@b.test (Therapist) to Test Clinic [test-clinic]\n" {
				t.Fatalf("therapist: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			before := count(t, dsn)
			if before != (counts{orgs: 1, users: 2, audit: 2}) {
				t.Fatalf("after two users: %+v", before)
			}

			// Bad input on an existing organisation: nothing is created.
			for _, bad := range []struct {
				args []string
				says string
			}{
				{[]string{"user", "add", "--email", "x@b.test", "--name", "X", "--role", "janitor"}, "--role: Choose owner, therapist, front desk or biller"},
				{[]string{"user", "add", "--email", "x@@b.test", "--name", "X", "--role", "biller"}, "--email: Enter an email address"},
				{[]string{"user", "add", "--email", "T@B.test", "--name", "X", "--role", "biller"}, "already exists"},
				{[]string{"user", "add", "--email", "x@b.test", "--name", "X", "--location", "Nowhere"}, `No location named "Nowhere"`},
				{[]string{"user", "add", "--email", "x@b.test", "--name", "X", "--org", "no-such-org"}, "No such organisation"},
				{[]string{"user", "add", "--new-org", "Test Clinic Again", "--org", "test-clinic", "--email", "x@b.test", "--name", "X", "--role", "owner"}, "organisation address is taken"},
				{[]string{"token", "create", "--name", "x"}, "--email and --name are required"},
				{[]string{"token", "create", "--email", "a@b.test"}, "--email and --name are required"},
				{[]string{"token", "create", "--email", "nobody@b.test", "--name", "x"}, "No user with email nobody@b.test"},
				{[]string{"token", "create", "--email", "a@b.test", "--name", strings.Repeat("n", 101)}, "--name: Name the token"},
			} {
				args := append(append(bad.args[:2:2], "--db", dsn), bad.args[2:]...)
				code, out, errOut := fascia(t, args...)
				if code != 1 || !strings.Contains(errOut, bad.says) || out != "" {
					t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 saying %q", bad.args, code, out, errOut, bad.says)
				}
				if strings.Contains(errOut, "detail:") {
					t.Errorf("%q: bad input reported as an internal error: %q", bad.args, errOut)
				}
			}
			if after := count(t, dsn); after != before {
				t.Fatalf("bad input created something: %+v, was %+v", after, before)
			}

			// A token.
			code, out, errOut = fascia(t, "token", "create", "--db", dsn, "--email", "A@B.test", "--name", "x")
			if code != 0 || !tokenRE.MatchString(out) {
				t.Fatalf("token create: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			db := openDB(t, dsn)
			a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			actor, err := a.AuthenticateToken(ctx, strings.TrimSpace(out), "127.0.0.1")
			if err != nil || actor.User.Email != "a@b.test" {
				t.Fatalf("the printed token does not work: %v", err)
			}
			// The temporary password works and must be changed; the printed one when FASCIA_PASSWORD is unset.
			if cred, err := db.CredentialsByEmail(ctx, "t@b.test"); err != nil || !cred.MustChangePass {
				t.Fatalf("therapist credentials: %+v, %v", cred, err)
			}
			t.Setenv("FASCIA_PASSWORD", "")
			code, out, errOut = fascia(t, "user", "add", "--db", dsn, "--email", "f@b.test", "--name", "F", "--role", "front_desk")
			m := regexp.MustCompile(`temporary password: (\S+) `).FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("generated password: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			if _, err := a.SignIn(ctx, "f@b.test", m[1], "127.0.0.1", ""); err != nil {
				t.Fatalf("the printed password does not sign in: %v", err)
			}

			// Everything was audited and the trail is intact.
			es, err := db.ListAudit(ctx, store.AuditFilter{OrgID: actor.User.OrgID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for i := len(es) - 1; i >= 0; i-- {
				actions = append(actions, es[i].Action)
			}
			if got := strings.Join(actions, " "); got != "user.create user.create token.create user.create auth.sign_in" {
				t.Fatalf("audited: %s", got)
			}
			code, out, errOut = fascia(t, "audit", "verify", "--db", dsn)
			if code != 0 || out != "audit trail intact: 5 entries\n" {
				t.Fatalf("audit verify: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}

// trail makes a fresh database of engine e with six audit entries and returns
// its DSN, a handle on it and the entries, oldest first.
func trail(t *testing.T, e store.Engine) (string, *store.DB, []audit.Entry) {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.DSN(t, e)
	db := openDB(t, dsn)
	for i := range 6 {
		err := db.Audit(ctx, &audit.Entry{OrgID: 1, UserID: 2, Actor: "maria@example.test", Action: audit.ClientRead,
			RecordType: "client", RecordID: int64(10 + i), SourceIP: "203.0.113.5", Result: audit.OK})
		if err != nil {
			t.Fatal(err)
		}
	}
	es, err := db.ListAudit(ctx, store.AuditFilter{OrgID: 1})
	if err != nil || len(es) != 6 {
		t.Fatalf("entries: %d, %v", len(es), err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return dsn, db, es
}

// unprotect drops the append-only triggers, as an attacker with the
// database's owner rights could.
func unprotect(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if db.Engine == store.Postgres {
		stmts = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	}
	for _, s := range stmts {
		exec(t, db, s)
	}
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecForTest(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func insert(t *testing.T, db *store.DB, e audit.Entry) {
	t.Helper()
	exec(t, db, `INSERT INTO audit_log (seq, at, org_id, user_id, actor, action, record_type, record_id, source_ip, result, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		e.Seq, e.At.UnixMilli(), e.OrgID, e.UserID, e.Actor, e.Action, e.RecordType, e.RecordID, e.SourceIP, e.Result, e.Detail, e.PrevHash, e.Hash)
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	noEnv(t)
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, db *store.DB, es []audit.Entry)
		want   []string // what the report must say
	}{
		{"altered actor", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "UPDATE audit_log SET actor = 'someone.else@example.test' WHERE seq = 3")
		}, []string{"entry 3: its content does not match its hash (altered entry)"}},
		{"altered detail", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4")
		}, []string{"entry 4: its content does not match its hash (altered entry)"}},
		{"altered time", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "UPDATE audit_log SET at = at - 86400000 WHERE seq = 2")
		}, []string{"entry 2: its content does not match its hash (altered entry)"}},
		{"forged entry appended, head not updated", func(t *testing.T, db *store.DB, es []audit.Entry) {
			f := es[5]
			f.Seq, f.PrevHash, f.Hash, f.RecordID = 7, es[5].Hash, strings.Repeat("0f", 32), 999
			insert(t, db, f)
		}, []string{"entry 7: its content does not match its hash (altered entry)", "entries 7 to 7 were not written through Fascia"}},
		{"forged entry appended with a correct hash, head not updated", func(t *testing.T, db *store.DB, es []audit.Entry) {
			f := es[5]
			f.RecordID = 999
			audit.Chain(&es[5], &f)
			insert(t, db, f)
		}, []string{"entry 7"}}, // only the head knows: "entry 6: the trail ends at entry 7 but 6 were written"
		{"forged entry inserted in the middle, renumbered and rechained, head updated", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 4")
			exec(t, db, "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000")
			f := es[2]
			f.RecordID = 999
			audit.Chain(&es[2], &f) // seq 4, linked to entry 3
			insert(t, db, f)
			exec(t, db, "UPDATE audit_head SET seq = 7")
		}, []string{"entry 5: does not link to the entry before it", "entry 5: its content does not match its hash"}},
		{"deleted middle entry", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "DELETE FROM audit_log WHERE seq = 3")
		}, []string{"entry 3: entries 3 to 3 are missing (deleted)"}},
		{"deleted first entries", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "DELETE FROM audit_log WHERE seq <= 2")
		}, []string{"entry 1: entries 1 to 2 are missing (deleted)"}},
		{"deleted last entry", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "DELETE FROM audit_log WHERE seq = 6")
		}, []string{"entry 6: the trail ends at entry 5 but 6 were written"}},
		{"deleted everything", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			exec(t, db, "DELETE FROM audit_log")
		}, []string{"entry 6: the trail ends at entry 0 but 6 were written"}},
		{"altered and rehashed", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			e := es[2]
			e.Actor = "someone.else@example.test"
			e.Hash = audit.ComputeHash(&e)
			exec(t, db, "UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = 3", e.Actor, e.Hash)
		}, []string{"entry 4: does not link to the entry before it"}},
		{"last entry altered and rehashed", func(t *testing.T, db *store.DB, es []audit.Entry) {
			unprotect(t, db)
			e := es[5]
			e.Result = audit.Refused
			e.Hash = audit.ComputeHash(&e)
			exec(t, db, "UPDATE audit_log SET result = $1, hash = $2 WHERE seq = 6", e.Result, e.Hash)
		}, []string{"entry 6: "}},
	} {
		for _, e := range testdb.Engines() {
			t.Run(tc.name+"/"+string(e), func(t *testing.T) {
				dsn, db, es := trail(t, e)
				code, out, errOut := fascia(t, "audit", "verify", "--db", dsn)
				if code != 0 || out != "audit trail intact: 6 entries\n" {
					t.Fatalf("before tampering: exit %d, stdout %q, stderr %q", code, out, errOut)
				}
				tc.tamper(t, db, es)
				code, out, errOut = fascia(t, "audit", "verify", "--db", dsn)
				if code != 1 {
					t.Fatalf("tampering not detected: exit %d, stdout %q, stderr %q", code, out, errOut)
				}
				if !strings.HasPrefix(out, "AUDIT TRAIL TAMPERED WITH: ") {
					t.Errorf("report %q", out)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("report does not say %q:\n%s", w, out)
					}
				}
			})
		}
	}
}

func TestAuditTriggersRefuseChanges(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn, db, _ := trail(t, e)
			for _, q := range []string{
				"UPDATE audit_log SET actor = 'x' WHERE seq = 3",
				"UPDATE audit_log SET hash = hash",
				"DELETE FROM audit_log WHERE seq = 6",
				"DELETE FROM audit_log",
			} {
				_, err := db.ExecForTest(ctx, q)
				if err == nil {
					t.Errorf("%s: accepted", q)
				} else if !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: refused with %v, not the trigger", q, err)
				}
			}
			// A duplicate sequence number is refused by the key.
			if _, err := db.ExecForTest(ctx, "INSERT INTO audit_log (seq, at, action, result, prev_hash, hash) VALUES (3, 0, 'x', 'ok', '', '')"); err == nil {
				t.Error("a second entry 3 was accepted")
			}
			if code, out, _ := fascia(t, "audit", "verify", "--db", dsn); code != 0 || out != "audit trail intact: 6 entries\n" {
				t.Fatalf("after refused changes: exit %d, %q", code, out)
			}
		})
	}
}

// The append-only triggers can be got round without dropping them: on SQLite
// INSERT OR REPLACE deletes the old row without firing the delete trigger
// (recursive_triggers is off), and on PostgreSQL TRUNCATE fires no row
// trigger. The hash chain must still catch both.
func TestAuditVerifyCatchesTriggerBypass(t *testing.T) {
	noEnv(t)
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn, db, es := trail(t, e)
			want := "entry 6: the trail ends at entry 0 but 6 were written"
			if e == store.SQLite {
				f := es[2]
				f.Actor = "someone.else@example.test"
				f.Hash = audit.ComputeHash(&f)
				_, err := db.ExecForTest(ctx, `INSERT OR REPLACE INTO audit_log (seq, at, org_id, user_id, actor, action, record_type, record_id, source_ip, result, detail, prev_hash, hash)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
					f.Seq, f.At.UnixMilli(), f.OrgID, f.UserID, f.Actor, f.Action, f.RecordType, f.RecordID, f.SourceIP, f.Result, f.Detail, f.PrevHash, f.Hash)
				if err != nil {
					t.Skipf("INSERT OR REPLACE is refused now (%v): nothing to catch", err)
				}
				want = "entry 4: does not link to the entry before it"
			} else if _, err := db.ExecForTest(ctx, "TRUNCATE audit_log"); err != nil {
				t.Skipf("TRUNCATE is refused now (%v): nothing to catch", err)
			}
			code, out, errOut := fascia(t, "audit", "verify", "--db", dsn)
			if code != 1 || !strings.Contains(out, "\n  "+want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 saying %q", code, out, errOut, want)
			}
		})
	}
}
