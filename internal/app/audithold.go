package app

import (
	"context"
	"strings"
	"sync"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
)

// A page made of several reads (the chart: the client, their screening,
// health history and care record) is one act of reading, and is audited as
// one entry. HoldAudit returns a context in which the read entries the use
// cases write are held instead of written; FlushAudit then writes them,
// merged, before the page is sent. Nothing held is ever dropped: every
// entry is written by FlushAudit, merged or as it was.

type auditHold struct {
	mu sync.Mutex
	es []*audit.Entry
	// reads memoises the reads that several sections make (the client,
	// whose access each checks on its own; the latest health history; the
	// prescriptions), by a key naming the read.
	reads map[string]*memoRead
}

type memoRead struct {
	once sync.Once
	v    any
	err  error
}

// memo runs read once per held page and key; outside a held page it just runs it.
func memo[T any](ctx context.Context, key string, read func() (T, error)) (T, error) {
	h, _ := ctx.Value(auditHoldKey{}).(*auditHold)
	if h == nil {
		return read()
	}
	h.mu.Lock()
	if h.reads == nil {
		h.reads = map[string]*memoRead{}
	}
	m := h.reads[key]
	if m == nil {
		m = &memoRead{}
		h.reads[key] = m
	}
	h.mu.Unlock()
	m.once.Do(func() { m.v, m.err = read() })
	v, _ := m.v.(T)
	return v, m.err
}

type auditHoldKey struct{}

// HoldAudit returns a context that holds audit entries of reads until
// FlushAudit. The caller must call FlushAudit before it answers.
func HoldAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, auditHoldKey{}, &auditHold{})
}

// client reads a client, once per held page (each caller gets its own copy).
func (s *App) client(ctx context.Context, orgID, id int64) (*clinic.Client, error) {
	c, err := memo(ctx, "client."+i64(orgID)+"."+i64(id), func() (clinic.Client, error) {
		c, err := s.DB.Client(ctx, orgID, id)
		if err != nil {
			return clinic.Client{}, err
		}
		return *c, nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// hold keeps es in ctx's hold, reporting false when ctx holds nothing.
func hold(ctx context.Context, es []*audit.Entry) bool {
	h, _ := ctx.Value(auditHoldKey{}).(*auditHold)
	if h == nil {
		return false
	}
	h.mu.Lock()
	h.es = append(h.es, es...)
	h.mu.Unlock()
	return true
}

// FlushAudit writes the entries held in ctx and waits until they are on
// disk. Successful reads of one record by one actor become one entry: the
// first read's action, with each read's action and detail in its detail
// (so "screening.read" still finds a chart view by its detail). Denials and
// failures are written one by one.
func (s *App) FlushAudit(ctx context.Context) error {
	h, _ := ctx.Value(auditHoldKey{}).(*auditHold)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	es := h.es
	h.es = nil
	h.mu.Unlock()
	es = mergeReads(es)
	if len(es) == 0 {
		return nil
	}
	// Written even if the request has ended, and not held again.
	return s.audit(context.WithValue(context.WithoutCancel(ctx), auditHoldKey{}, (*auditHold)(nil)), es...)
}

type readKey struct {
	org, user, id    int64
	actor, rtype, ip string
}

func mergeReads(es []*audit.Entry) []*audit.Entry {
	var out []*audit.Entry
	first := map[readKey]int{} // → index in out
	parts := map[int][]string{}
	for _, e := range es {
		if e.Result != audit.OK {
			out = append(out, e)
			continue
		}
		k := readKey{e.OrgID, e.UserID, e.RecordID, e.Actor, e.RecordType, e.SourceIP}
		part := e.Action
		if e.Detail != "" {
			part += ": " + e.Detail
		}
		if i, ok := first[k]; ok {
			parts[i] = append(parts[i], part)
			continue
		}
		first[k] = len(out)
		parts[len(out)] = []string{part}
		out = append(out, e)
	}
	for i, ps := range parts {
		if len(ps) > 1 {
			out[i].Detail = strings.Join(ps, "; ")
		}
	}
	return out
}
