package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ColdReport is the fascia binary's start and memory on the filled SQLite database.
type ColdReport struct {
	Binary   string
	Built    bool
	DBBytes  int64 // database file plus WAL at the first start
	Starts   []time.Duration
	Median   time.Duration
	RSSReady []int64 // KiB: VmRSS when /readyz first answered 200
	RSSIdle  []int64 // KiB: VmRSS after IdleReqs requests and IdleWait
	HWM      []int64 // KiB: VmHWM (peak resident) at the same moment
	IdleReqs int
	IdleWait time.Duration
}

// coldStart times `fascia serve --db path` from exec to the first 200 from
// /readyz (polled every 2 ms), cfg.ColdRuns times, and reads the process's
// resident memory after a sign-in, a few pages and an idle pause.
// prefixes and ids are search prefixes and chart ids of clients in the database.
func coldStart(ctx context.Context, cfg *config, path, dir string, prefixes, ids []string) (*ColdReport, error) {
	cr := &ColdReport{Binary: cfg.Fascia, IdleReqs: cfg.IdleReqs, IdleWait: cfg.IdleWait}
	if cr.Binary == "" {
		cr.Binary, cr.Built = filepath.Join(dir, "fascia"), true
		cfg.logf("cold start: building the fascia binary")
		b := exec.CommandContext(ctx, "go", "build", "-o", cr.Binary, "github.com/fascia-health/fascia/cmd/fascia")
		if out, err := b.CombinedOutput(); err != nil {
			return cr, fmt.Errorf("go build ./cmd/fascia: %v\n%s", err, out)
		}
	}
	for _, s := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + s); err == nil {
			cr.DBBytes += fi.Size()
		}
	}
	if len(prefixes) == 0 || len(ids) == 0 {
		return cr, errors.New("no search prefixes or client ids to request")
	}
	for i := 0; i < cfg.ColdRuns; i++ {
		if err := coldRun(ctx, cfg, cr, path, prefixes, ids); err != nil {
			return cr, err
		}
	}
	s := slices.Clone(cr.Starts)
	slices.Sort(s)
	cr.Median = s[len(s)/2]
	if len(s)%2 == 0 {
		cr.Median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	cfg.logf("cold start: median %s of %d; idle VmRSS %s", ms(cr.Median), len(s), mib(medianInt(cr.RSSIdle)))
	return cr, nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

func coldRun(ctx context.Context, cfg *config, cr *ColdReport, path string, prefixes, ids []string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + port
	cmd := exec.Command(cr.Binary, "serve", "--db", path, "--addr", "127.0.0.1:"+port)
	cmd.Stdout, cmd.Stderr = nil, nil // the server's log goes to /dev/null
	cmd.Env = append(os.Environ(), "FASCIA_LOG_FORMAT=text")
	poll := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	deadline := t0.Add(30 * time.Second)
	for {
		res, err := poll.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("fascia serve exited before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("fascia serve was not ready after 30 s")
		}
	}
	d := time.Since(t0)
	cr.Starts = append(cr.Starts, d)
	rss, _, err := procMem(cmd.Process.Pid)
	if err != nil {
		return err
	}
	cr.RSSReady = append(cr.RSSReady, rss)

	// A person's first minute: sign in, a few searches and charts.
	cookie, err := signIn(ctx, base, owner, password)
	if err != nil {
		return err
	}
	c := noRedirects(&http.Transport{DisableCompression: true, Proxy: nil})
	defer c.CloseIdleConnections()
	for i := 1; i < cfg.IdleReqs; i++ {
		p := "/clients/" + ids[i%len(ids)]
		if i%2 == 1 {
			p = "/clients?q=" + url.QueryEscape(prefixes[i%len(prefixes)])
		}
		req, err := http.NewRequestWithContext(ctx, "GET", base+p, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Cookie", cookie)
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("fascia serve: GET %s: status %d", strings.SplitN(p, "?", 2)[0], res.StatusCode)
		}
	}
	select {
	case <-time.After(cfg.IdleWait):
	case <-ctx.Done():
		return ctx.Err()
	}
	rss, hwm, err := procMem(cmd.Process.Pid)
	if err != nil {
		return err
	}
	cr.RSSIdle = append(cr.RSSIdle, rss)
	cr.HWM = append(cr.HWM, hwm)
	cfg.logf("cold start %d: ready in %s; VmRSS %s at ready, %s idle (peak %s)", len(cr.Starts), ms(d), mib(cr.RSSReady[len(cr.RSSReady)-1]), mib(rss), mib(hwm))
	return nil
}

// procMem reads VmRSS and VmHWM (KiB) from /proc/pid/status.
func procMem(pid int) (rss, hwm int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, hwm, sc.Err()
}

func medianInt(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
