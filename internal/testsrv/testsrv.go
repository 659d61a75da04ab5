// Package testsrv starts a whole Fascia server (pages, API, real database)
// for tests, with the demo clinic and a second organisation whose records
// the first must never see.
package testsrv

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/api"
	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/web"
)

// Password is every seeded user's password.
const Password = "correct horse battery staple"

// Emails of seeded users. The demo organisation's come from demo.Staff.
const (
	Owner          = "owner@demo.test"
	TherapistA     = "maria.lopez@demo.test" // Downtown Austin only
	TherapistB     = "james.chen@demo.test"  // Round Rock only
	FrontDesk      = "frontdesk@demo.test"
	Biller         = "billing@demo.test"
	OtherOwner     = "owner@other.test" // owner of the second organisation
	OtherTherapist = "therapist@other.test"
)

// Server is a running test server.
type Server struct {
	URL  string
	DB   *store.DB
	App  *app.App
	HTTP *httptest.Server
	// Log holds everything the server logged, to check nothing sensitive leaks.
	Log *SafeBuffer

	Org, OtherOrg       *clinic.Organisation
	Downtown, RoundRock clinic.Location
	OtherLoc            clinic.Location
	// OtherClient belongs to the second organisation.
	OtherClient *clinic.Client

	mu    sync.Mutex
	clock time.Time // zero: real time
}

// SafeBuffer is a concurrency-safe log sink.
type SafeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *SafeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything logged so far.
func (s *SafeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Start starts a server on a fresh database of engine e.
func Start(t testing.TB, e store.Engine) *Server {
	t.Helper()
	ctx := context.Background()
	db := testdb.Open(t, e)
	s := &Server{DB: db, Log: &SafeBuffer{}}
	db.Now = s.now
	var w io.Writer = s.Log
	if os.Getenv("FASCIA_TEST_VERBOSE") == "1" {
		w = io.MultiWriter(s.Log, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(w, nil))
	s.App = app.New(db, log)
	if _, err := demo.Seed(ctx, s.App, Password, time.Now()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	var err error
	if s.Org, err = db.OrgBySlug(ctx, demo.Slug); err != nil {
		t.Fatal(err)
	}
	ls, _ := db.Locations(ctx, s.Org.ID)
	for _, l := range ls {
		switch l.Name {
		case "Downtown Austin":
			s.Downtown = l
		case "Round Rock":
			s.RoundRock = l
		}
	}
	s.seedOther(t)
	srv, err := web.New(s.App, log, api.New(s.App, log))
	if err != nil {
		t.Fatal(err)
	}
	s.HTTP = httptest.NewServer(srv.Handler())
	s.URL = s.HTTP.URL
	t.Cleanup(s.HTTP.Close)
	return s
}

func (s *Server) seedOther(t testing.TB) {
	ctx := context.Background()
	hash, err := auth.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	s.OtherOrg = &clinic.Organisation{Name: "Other Clinic", Slug: "other"}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.CreateOrg(ctx, tx, s.OtherOrg); err != nil {
			return err
		}
		s.OtherLoc = clinic.Location{OrgID: s.OtherOrg.ID, Name: "Elsewhere"}
		if err := s.DB.CreateLocation(ctx, tx, &s.OtherLoc); err != nil {
			return err
		}
		for _, u := range []*clinic.User{
			{OrgID: s.OtherOrg.ID, Email: OtherOwner, Name: "Olga Other", Role: clinic.RoleOwner, LocationIDs: []int64{s.OtherLoc.ID}},
			{OrgID: s.OtherOrg.ID, Email: OtherTherapist, Name: "Theo Other", Role: clinic.RoleTherapist, LocationIDs: []int64{s.OtherLoc.ID}},
		} {
			if err := s.DB.CreateUser(ctx, tx, u, hash); err != nil {
				return err
			}
		}
		s.OtherClient = &clinic.Client{OrgID: s.OtherOrg.ID, FirstName: "Secret", LastName: "Otherclient", DOB: "1960-02-03", PreferredLocationID: s.OtherLoc.ID}
		return s.DB.CreateClient(ctx, tx, s.OtherClient)
	})
	if err != nil {
		t.Fatalf("seed other org: %v", err)
	}
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clock.IsZero() {
		return time.Now()
	}
	return s.clock
}

// Advance moves the server's clock forward by d (from real time on first use).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clock.IsZero() {
		s.clock = time.Now()
	}
	s.clock = s.clock.Add(d)
}

// Client is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see exactly what the server answered.
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// SignIn signs email in through the sign-in form and returns the client.
func (s *Server) SignIn(t testing.TB, email string) *http.Client {
	t.Helper()
	c := s.Client()
	res, err := c.PostForm(s.URL+"/signin", url.Values{"email": {email}, "password": {Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/clients" {
		t.Fatalf("sign in %s: status %d, location %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

// Token creates an API token for email and returns it.
func (s *Server) Token(t testing.TB, email string) string {
	t.Helper()
	tok, err := s.App.CreateTokenCLI(context.Background(), email, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// ClientAt returns some client of the demo organisation at location loc.
func (s *Server) ClientAt(t testing.TB, loc int64) clinic.Client {
	t.Helper()
	cs, err := s.DB.SearchClients(context.Background(), s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{loc}, Limit: 1})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no client at location %d: %v", loc, err)
	}
	return cs[0]
}
