package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Result is one page's figures at one engine.
type Result struct {
	Name               string
	Conns              int
	Requests           int // measured requests, failed ones included
	Errors             int // failed requests, warm-up included
	ErrorSample        []string
	Elapsed            time.Duration
	RPS                float64
	P50, P90, P99, Max time.Duration
	Mean               time.Duration
	BodyBytes          int64 // mean body size of the measured answers
	WarmupRequests     int
	WarmupRPS          float64
	// CPUPerReq is this process's CPU time (user + system, server and load
	// generator together) over the measured phase, per request: steadier
	// than latency when the cores are shared.
	CPUPerReq time.Duration
}

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// worker is one keep-alive connection and its own request mix.
type worker struct {
	client *http.Client
	rng    *rand.Rand
	lat    []time.Duration
	errs   int
	sample []string
	bytes  int64
}

// measure loads base+paths (each request a random one of paths, with hdr)
// from conns workers, each on its own keep-alive connection, first for
// warmup unmeasured and then for dur measured. Every latency is recorded:
// from just before the request is written to the end of its body.
func measure(ctx context.Context, name, base string, paths []string, hdr http.Header, conns int, warmup, dur time.Duration, seed int64) (Result, error) {
	ws := make([]*worker, conns)
	for i := range ws {
		tr := &http.Transport{
			Proxy:               nil, // loopback only, never through a proxy
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        1,
			MaxIdleConnsPerHost: 1,
			MaxConnsPerHost:     1,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		}
		ws[i] = &worker{client: noRedirects(tr), rng: rand.New(rand.NewPCG(uint64(seed), uint64(i)))}
	}
	defer func() {
		for _, w := range ws {
			w.client.CloseIdleConnections()
		}
	}()

	// Warm-up: the same load, unmeasured; its rate sizes the latency slices.
	var warmCount atomic.Int64
	if warmup > 0 {
		if err := phase(ctx, ws, base, paths, hdr, warmup, func(w *worker, d time.Duration, ok bool) { warmCount.Add(1) }); err != nil {
			return Result{}, err
		}
	}
	perWorker := 1024
	if warmup > 0 {
		expect := float64(warmCount.Load()) / warmup.Seconds() * dur.Seconds() / float64(conns)
		perWorker = max(perWorker, int(expect*1.5))
	}
	for _, w := range ws {
		w.lat = make([]time.Duration, 0, perWorker)
		w.bytes = 0 // errors of the warm-up count too
	}
	start, cpu0 := time.Now(), processCPU()
	if err := phase(ctx, ws, base, paths, hdr, dur, func(w *worker, d time.Duration, ok bool) { w.lat = append(w.lat, d) }); err != nil {
		return Result{}, err
	}
	elapsed, cpu := time.Since(start), processCPU()-cpu0

	res := Result{Name: name, Conns: conns, Elapsed: elapsed, WarmupRequests: int(warmCount.Load())}
	if warmup > 0 {
		res.WarmupRPS = float64(warmCount.Load()) / warmup.Seconds()
	}
	var all []time.Duration
	n := 0
	for _, w := range ws {
		n += len(w.lat)
	}
	all = make([]time.Duration, 0, n)
	var bytes int64
	for _, w := range ws {
		all = append(all, w.lat...)
		res.Errors += w.errs
		bytes += w.bytes
		for _, s := range w.sample {
			if len(res.ErrorSample) < 5 {
				res.ErrorSample = append(res.ErrorSample, s)
			}
		}
	}
	res.Requests = len(all)
	if res.Requests == 0 {
		return res, fmt.Errorf("%s: no request completed in %s", name, dur)
	}
	slices.Sort(all)
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	res.Mean = sum / time.Duration(len(all))
	res.P50, res.P90, res.P99, res.Max = percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), all[len(all)-1]
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	res.CPUPerReq = cpu / time.Duration(res.Requests)
	res.BodyBytes = bytes / int64(res.Requests)
	return res, nil
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// phase runs every worker until d has passed; record is called by the
// worker's own goroutine after each request.
func phase(ctx context.Context, ws []*worker, base string, paths []string, hdr http.Header, d time.Duration, record func(w *worker, d time.Duration, ok bool)) error {
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				p := paths[w.rng.IntN(len(paths))]
				req, err := http.NewRequest("GET", base+p, nil)
				if err != nil {
					w.fail(err.Error())
					continue
				}
				for k, v := range hdr {
					req.Header[k] = v
				}
				t0 := time.Now()
				res, err := w.client.Do(req)
				var n int64
				status := 0
				if err == nil {
					n, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				lat := time.Since(t0)
				ok := err == nil && status == http.StatusOK
				if !ok {
					if err != nil {
						w.fail(fmt.Sprintf("GET %s: %v", strings.SplitN(p, "?", 2)[0], err))
					} else {
						w.fail(fmt.Sprintf("GET %s: status %d", strings.SplitN(p, "?", 2)[0], status))
					}
				}
				w.bytes += n
				record(w, lat, ok)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

func (w *worker) fail(s string) {
	w.errs++
	if len(w.sample) < 3 {
		w.sample = append(w.sample, s)
	}
}
