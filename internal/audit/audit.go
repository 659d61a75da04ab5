// Package audit owns the audit trail: who did what to which record, when,
// from where, and with what result. Entries form a hash chain: each entry's
// hash covers its own fields and the previous entry's hash, so an altered,
// inserted or deleted entry breaks the chain and Verify finds it.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actions recorded in the trail.
const (
	SignIn         = "auth.sign_in"
	SignInFailed   = "auth.sign_in_failed"
	SignInLocked   = "auth.sign_in_locked"
	SignOut        = "auth.sign_out"
	MFAEnabled     = "auth.mfa_enabled"
	MFAFailed      = "auth.mfa_failed"
	PasswordChange = "auth.password_changed"
	PasswordReset  = "auth.password_reset"
	Denied         = "auth.denied"
	TokenCreate    = "token.create"
	TokenRevoke    = "token.revoke"
	ClientRead     = "client.read"
	ClientSearch   = "client.search"
	ClientCreate   = "client.create"
	ClientUpdate   = "client.update"
	UserCreate     = "user.create"
	UserUpdate     = "user.update"
	OrgUpdate      = "org.update"
	AuditExport    = "audit.export"
)

// Results.
const (
	OK      = "ok"
	Failure = "failure"
	Refused = "denied"
)

// GenesisHash is the previous hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one line of the trail. Detail never holds client health
// information: it names fields changed, not their values.
type Entry struct {
	Seq        int64
	At         time.Time
	OrgID      int64
	UserID     int64
	Actor      string // the user's email, or "" for an unknown one
	Action     string
	RecordType string
	RecordID   int64
	SourceIP   string
	Result     string
	Detail     string
	PrevHash   string
	Hash       string
}

// ComputeHash is SHA-256 over the previous hash and every field of the entry,
// each length-prefixed so no two different entries encode the same.
func ComputeHash(e *Entry) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.Seq, 10))
	field(strconv.FormatInt(e.At.UnixMilli(), 10))
	field(strconv.FormatInt(e.OrgID, 10))
	field(strconv.FormatInt(e.UserID, 10))
	field(e.Actor)
	field(e.Action)
	field(e.RecordType)
	field(strconv.FormatInt(e.RecordID, 10))
	field(e.SourceIP)
	field(e.Result)
	field(e.Detail)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Chain links e after prev (nil for the first entry) and sets its hash.
func Chain(prev *Entry, e *Entry) {
	if prev == nil {
		e.Seq, e.PrevHash = 1, GenesisHash
	} else {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = ComputeHash(e)
}

// Problem is one break in the chain.
type Problem struct {
	Seq  int64
	What string
}

func (p Problem) String() string { return fmt.Sprintf("entry %d: %s", p.Seq, p.What) }

// Verifier checks entries fed in sequence order; it keeps only the previous
// entry, so a trail of any length is verified in constant memory.
type Verifier struct {
	prev     *Entry
	Count    int64
	Problems []Problem
}

// Add checks the next entry.
func (v *Verifier) Add(e Entry) {
	v.Count++
	wantSeq, wantPrev := int64(1), GenesisHash
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	switch {
	case e.Seq > wantSeq:
		v.Problems = append(v.Problems, Problem{wantSeq, fmt.Sprintf("entries %d to %d are missing (deleted)", wantSeq, e.Seq-1)})
	case e.Seq < wantSeq:
		v.Problems = append(v.Problems, Problem{e.Seq, "sequence number repeats or goes backwards (inserted entry)"})
	}
	if e.PrevHash != wantPrev && e.Seq == wantSeq {
		v.Problems = append(v.Problems, Problem{e.Seq, "does not link to the entry before it (inserted or replaced entry)"})
	}
	if ComputeHash(&e) != e.Hash {
		v.Problems = append(v.Problems, Problem{e.Seq, "its content does not match its hash (altered entry)"})
	}
	ec := e
	v.prev = &ec
}

// Finish checks the end of the trail against the recorded head (the last
// sequence number and hash the database says it wrote), which catches
// entries deleted from the end.
func (v *Verifier) Finish(headSeq int64, headHash string) {
	last, lastHash := int64(0), GenesisHash
	if v.prev != nil {
		last, lastHash = v.prev.Seq, v.prev.Hash
	}
	switch {
	case last < headSeq:
		v.Problems = append(v.Problems, Problem{headSeq, fmt.Sprintf("the trail ends at entry %d but %d were written (entries deleted from the end)", last, headSeq)})
	case last > headSeq:
		v.Problems = append(v.Problems, Problem{headSeq + 1, fmt.Sprintf("entries %d to %d were not written through Fascia (inserted at the end)", headSeq+1, last)})
	case headSeq > 0 && headHash != lastHash:
		v.Problems = append(v.Problems, Problem{last, "the last entry differs from the one written (replaced entry)"})
	}
}

// OK reports whether no problem was found.
func (v *Verifier) OK() bool { return len(v.Problems) == 0 }
