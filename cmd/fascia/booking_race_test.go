package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	osexec "os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestMain lets the test binary be a `fascia serve` process of its own, so
// a test can start real server processes without building the binary.
func TestMain(m *testing.M) {
	if os.Getenv("FASCIA_TEST_AS_SERVER") == "1" {
		os.Exit(run(context.Background(), os.Args[len(os.Args)-len(serverArgs()):], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func serverArgs() []string {
	var out []string
	for _, a := range strings.Split(os.Getenv("FASCIA_TEST_SERVER_ARGS"), "\x1f") {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// startServer runs `fascia serve` in a child process and waits until it is ready.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args = append([]string{"serve", "--addr", addr, "--jobs=false"}, args...)
	cmd := osexec.Command(os.Args[0], append([]string{"-test.run=^$"}, args...)...)
	cmd.Env = append(os.Environ(), "FASCIA_TEST_AS_SERVER=1", "FASCIA_TEST_SERVER_ARGS="+strings.Join(args, "\x1f"))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("server %s log:\n%s", addr, logs.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return "http://" + addr
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server on %s did not start:\n%s", addr, logs.String())
	return ""
}

// raceFixture makes an owner with an API token, a therapist working every
// day 00:00–24:00, a service and clients, and returns the token and IDs.
type raceFixture struct {
	token                        string
	therapist, location, service int64
	clients                      []int64
}

func newRaceFixture(t *testing.T, dsn string, clients int) raceFixture {
	t.Helper()
	t.Setenv("FASCIA_PASSWORD", testPassword)
	if code, _, errOut := fascia(t, "user", "add", "--db", dsn, "--new-org", "Race Clinic", "--org", "race", "--email", "o@race.test", "--name", "Owner", "--role", "owner", "--time-zone", "America/Chicago"); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	if code, _, errOut := fascia(t, "user", "add", "--db", dsn, "--email", "t@race.test", "--name", "Tess", "--role", "therapist", "--location", "Main"); code != 0 {
		t.Fatalf("user add therapist: %s", errOut)
	}
	code, out, errOut := fascia(t, "token", "create", "--db", dsn, "--email", "o@race.test", "--name", "race")
	if code != 0 {
		t.Fatalf("token create: %s", errOut)
	}
	var f raceFixture
	if lines := strings.Fields(out); len(lines) > 0 {
		f.token = lines[len(lines)-1]
	}
	if f.token == "" {
		t.Fatalf("no token in %q", out)
	}
	db := openDB(t, dsn)
	ctx := context.Background()
	org, err := db.OrgBySlug(ctx, "race")
	if err != nil {
		t.Fatal(err)
	}
	locs, err := db.Locations(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.Users(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == clinic.RoleTherapist {
			f.therapist = u.ID
		}
	}
	f.location = locs[0].ID
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		svc := &schedule.Service{OrgID: org.ID, Name: "Medical massage", Minutes: 60, BufferAfter: 15, Active: true, Online: true}
		if err := db.CreateService(ctx, tx, svc); err != nil {
			return err
		}
		f.service = svc.ID
		var hs []schedule.Hours
		for d := time.Sunday; d <= time.Saturday; d++ {
			hs = append(hs, schedule.Hours{TherapistID: f.therapist, LocationID: f.location, Weekday: d, Start: 0, End: 1440})
		}
		if err := db.SetWeeklyHours(ctx, tx, org.ID, f.therapist, f.location, hs); err != nil {
			return err
		}
		for i := 0; i < clients; i++ {
			c := &clinic.Client{OrgID: org.ID, FirstName: "Client", LastName: fmt.Sprintf("Number%03d", i), DOB: "1980-01-01", PreferredLocationID: f.location}
			if err := db.CreateClient(ctx, tx, c); err != nil {
				return err
			}
			f.clients = append(f.clients, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestOneSlotThousandAttempts sends 1,000 simultaneous bookings of one
// therapist's slot, each for a different client, through the API: exactly
// one is booked, every other attempt gets a 409 saying why. On SQLite
// through one server process; on PostgreSQL through two processes sharing
// the database.
func TestOneSlotThousandAttempts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	noEnv(t)
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			const attempts = 1000
			f := newRaceFixture(t, dsn, 50)
			servers := []string{startServer(t, "--db", dsn)}
			if e == store.Postgres {
				servers = append(servers, startServer(t, "--db", dsn))
			}
			start := time.Now().Add(72 * time.Hour).Truncate(time.Hour).UTC().Format(time.RFC3339)
			client := &http.Client{Timeout: 120 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64}}
			var wg sync.WaitGroup
			gate := make(chan struct{})
			var mu sync.Mutex
			statuses := map[int]int{}
			var conflictMsg string
			for i := 0; i < attempts; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					body, _ := json.Marshal(map[string]any{"client_id": f.clients[i%len(f.clients)], "therapist_id": f.therapist,
						"location_id": f.location, "service_id": f.service, "start": start})
					req, _ := http.NewRequest("POST", servers[i%len(servers)]+"/api/v1/appointments", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+f.token)
					req.Header.Set("Content-Type", "application/json")
					<-gate
					resp, err := client.Do(req)
					if err != nil {
						t.Errorf("attempt %d: %v", i, err)
						return
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					mu.Lock()
					statuses[resp.StatusCode]++
					if resp.StatusCode == http.StatusConflict && conflictMsg == "" {
						conflictMsg = string(b)
					}
					if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusConflict {
						t.Errorf("attempt %d: %d %s", i, resp.StatusCode, b)
					}
					mu.Unlock()
				}(i)
			}
			close(gate)
			wg.Wait()
			if statuses[http.StatusCreated] != 1 || statuses[http.StatusConflict] != attempts-1 {
				t.Fatalf("statuses %v; want exactly one 201 and %d 409s", statuses, attempts-1)
			}
			if !strings.Contains(conflictMsg, "already booked") {
				t.Errorf("409 body %q does not say the time is booked", conflictMsg)
			}
			db := openDB(t, dsn)
			var n int
			if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM appointments").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("%d appointments in the database; want 1", n)
			}
		})
	}
}
