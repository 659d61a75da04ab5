package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

type fixture struct {
	org         *clinic.Organisation
	locA, locB  *clinic.Location
	therapist   *clinic.User
	otherOrg    *clinic.Organisation
	otherOrgLoc *clinic.Location
}

func setup(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		f.org = &clinic.Organisation{Name: "Main Street Massage", Slug: "main"}
		if err := db.CreateOrg(ctx, tx, f.org); err != nil {
			return err
		}
		f.locA = &clinic.Location{OrgID: f.org.ID, Name: "Downtown"}
		f.locB = &clinic.Location{OrgID: f.org.ID, Name: "North"}
		for _, l := range []*clinic.Location{f.locA, f.locB} {
			if err := db.CreateLocation(ctx, tx, l); err != nil {
				return err
			}
		}
		f.therapist = &clinic.User{OrgID: f.org.ID, Email: "T@Example.com", Name: "Tess", Role: clinic.RoleTherapist, LocationIDs: []int64{f.locA.ID}}
		if err := db.CreateUser(ctx, tx, f.therapist, "hash"); err != nil {
			return err
		}
		f.otherOrg = &clinic.Organisation{Name: "Other", Slug: "other"}
		if err := db.CreateOrg(ctx, tx, f.otherOrg); err != nil {
			return err
		}
		f.otherOrgLoc = &clinic.Location{OrgID: f.otherOrg.ID, Name: "Elsewhere"}
		return db.CreateLocation(ctx, tx, f.otherOrgLoc)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newClient(f fixture, first, last, dob string) *clinic.Client {
	return &clinic.Client{OrgID: f.org.ID, FirstName: first, LastName: last, DOB: dob, Sex: clinic.SexFemale,
		Phone: "512-555-0147", Email: strings.ToLower(first) + "@example.com", PreferredLocationID: f.locA.ID}
}

func create(t *testing.T, db *store.DB, c *clinic.Client) {
	t.Helper()
	if err := db.Tx(context.Background(), func(tx *sql.Tx) error { return db.CreateClient(context.Background(), tx, c) }); err != nil {
		t.Fatalf("create %s: %v", c.LastName, err)
	}
}

func TestClientsCRUDAndSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "04/09/1971")
		create(t, db, ann)
		bob := newClient(f, "Robert", "Smithers", "1980-01-02")
		bob.PreferredName, bob.Phone, bob.PreferredLocationID = "Bob", "(737) 555-0199", f.locB.ID
		create(t, db, bob)
		create(t, db, newClient(f, "Zoe", "O'Brien", "1990-05-06"))

		got, err := db.Client(ctx, f.org.ID, ann.ID)
		if err != nil || got.DOB != "1971-04-09" || got.Phone != "(512) 555-0147" || got.Version != 1 {
			t.Fatalf("read back %+v, %v", got, err)
		}
		if _, err := db.Client(ctx, f.otherOrg.ID, ann.ID); errs.Code(err) != errs.NotFound {
			t.Fatalf("other organisation read client: %v", err)
		}

		names := func(q string, locs []int64) string {
			cs, err := db.SearchClients(ctx, f.org.ID, clinic.ClientFilter{Query: q, LocationIDs: locs})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var s []string
			for _, c := range cs {
				s = append(s, c.DisplayName())
			}
			return strings.Join(s, ",")
		}
		for q, want := range map[string]string{
			"smi":                       "Ann Smith,Bob Smithers",
			"SMITH":                     "Ann Smith,Bob Smithers",
			"smithe":                    "Bob Smithers",
			"bob":                       "Bob Smithers",
			"ann smi":                   "Ann Smith",
			"smith, ann":                "Ann Smith",
			"1971-04-09":                "Ann Smith",
			"4/9/1971":                  "Ann Smith",
			"737555":                    "Bob Smithers",
			"(737) 555":                 "Bob Smithers",
			"zoe@":                      "Zoe O'Brien",
			"o'b":                       "Zoe O'Brien",
			"x' OR '1'='1":              "",
			"%":                         "",
			"'; DROP TABLE clients; --": "",
		} {
			if got := names(q, nil); got != want {
				t.Errorf("search %q = %q, want %q", q, got, want)
			}
		}
		if got := names("smi", []int64{f.locA.ID}); got != "Ann Smith" {
			t.Errorf("location-limited search = %q", got)
		}
		if got := names("smi", []int64{}); got != "" {
			t.Errorf("no-location search = %q", got)
		}
		if n, _ := db.CountClients(ctx, f.org.ID); n != 3 {
			t.Errorf("count = %d after SQL in search", n)
		}

		dups, err := db.PossibleDuplicates(ctx, f.org.ID, " ann", "SMITH", "1971-04-09", 0)
		if err != nil || len(dups) != 1 || dups[0].ID != ann.ID {
			t.Fatalf("duplicates = %v, %v", dups, err)
		}

		// Another organisation's location cannot be chosen.
		bad := newClient(f, "Eve", "Evil", "1970-01-01")
		bad.PreferredLocationID = f.otherOrgLoc.ID
		err = db.Tx(ctx, func(tx *sql.Tx) error { return db.CreateClient(ctx, tx, bad) })
		if errs.Code(err) != errs.Invalid {
			t.Fatalf("foreign location accepted: %v", err)
		}
	})
}

func TestConcurrentEditsConflict(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		c := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, c)
		// Two people open version 1 and save at the same time: exactly one wins.
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := *c
				mine.City = fmt.Sprintf("City%d", i)
				results[i] = db.Tx(ctx, func(tx *sql.Tx) error { return db.UpdateClient(ctx, tx, &mine) })
			}()
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range results {
			switch errs.Code(err) {
			case "":
				ok++
			case errs.Conflict:
				conflicts++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("ok=%d conflicts=%d", ok, conflicts)
		}
		got, _ := db.Client(ctx, f.org.ID, c.ID)
		if got.Version != 2 || !strings.HasPrefix(got.City, "City") {
			t.Fatalf("after race: %+v", got)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.Audit(ctx, &audit.Entry{OrgID: f.org.ID, UserID: f.therapist.ID, Actor: "t@example.com", Action: audit.ClientRead, RecordType: "client", RecordID: int64(i), SourceIP: "127.0.0.1", Result: audit.OK}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		v, err := db.VerifyAudit(ctx)
		if err != nil || !v.OK() || v.Count != 40 {
			t.Fatalf("fresh trail: count=%d problems=%v err=%v", v.Count, v.Problems, err)
		}
		// The table refuses changes through SQL.
		if _, err := db.ExecForTest(ctx, "UPDATE audit_log SET actor = 'x' WHERE seq = 3"); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := db.ExecForTest(ctx, "DELETE FROM audit_log WHERE seq = 3"); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
	})
}

func TestSearchTiersAndPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		for _, n := range [][3]string{
			{"Zed", "Marsh", ""}, {"Abe", "Martin", ""}, // last-name matches
			{"Mary", "Young", ""}, {"Marco", "Adams", ""}, // first-name matches
			{"Elizabeth", "Cole", "Marnie"}, // preferred-name match only
			{"Tom", "Other", ""},
		} {
			c := newClient(f, n[0], n[1], "1970-01-01")
			c.PreferredName = n[2]
			create(t, db, c)
		}
		page := func(offset, limit int) string {
			cs, err := db.SearchClients(ctx, f.org.ID, clinic.ClientFilter{Query: "mar", Offset: offset, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, c := range cs {
				s = append(s, c.LastName)
			}
			return strings.Join(s, ",")
		}
		// Last-name matches by last name, then first-name matches by first name, then preferred names.
		if got := page(0, 10); got != "Marsh,Martin,Adams,Young,Cole" {
			t.Fatalf("all = %s", got)
		}
		for _, c := range []struct {
			offset, limit int
			want          string
		}{{0, 2, "Marsh,Martin"}, {2, 2, "Adams,Young"}, {4, 2, "Cole"}, {1, 3, "Martin,Adams,Young"}, {5, 2, ""}} {
			if got := page(c.offset, c.limit); got != c.want {
				t.Errorf("offset %d limit %d = %q, want %q", c.offset, c.limit, got, c.want)
			}
		}
	})
}

// Past the statement cache's bound, queries run unprepared and still answer.
func TestQueriesPastTheStatementCache(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "04/09/1971")
		create(t, db, ann)
		db.FillStatementCacheForTest()
		got, err := db.Client(ctx, f.org.ID, ann.ID)
		if err != nil || got.LastName != "Smith" {
			t.Fatalf("client read with a full cache: %+v, %v", got, err)
		}
		cs, err := db.SearchClients(ctx, f.org.ID, clinic.ClientFilter{Query: "smi"})
		if err != nil || len(cs) != 1 {
			t.Fatalf("search with a full cache: %d, %v", len(cs), err)
		}
	})
}

// A brief search reads what a list shows and nothing more.
func TestBriefSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "04/09/1971")
		ann.MiddleName, ann.PreferredName, ann.City = "Beth", "Annie", "Austin"
		create(t, db, ann)
		cs, err := db.SearchClients(ctx, f.org.ID, clinic.ClientFilter{Query: "smi", Brief: true})
		if err != nil || len(cs) != 1 {
			t.Fatalf("brief search: %d, %v", len(cs), err)
		}
		c := cs[0]
		if c.ID != ann.ID || c.FirstName != "Ann" || c.MiddleName != "Beth" || c.PreferredName != "Annie" || c.DOB != "1971-04-09" ||
			c.Phone != ann.Phone || c.Email != ann.Email || c.PreferredLocationID != ann.PreferredLocationID || c.Status != ann.Status || c.Version != 1 {
			t.Errorf("brief client %+v", c)
		}
		if c.City != "" || !c.CreatedAt.IsZero() {
			t.Errorf("a brief search read more than the list shows: %+v", c)
		}
	})
}
