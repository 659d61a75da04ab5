package icd10

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Entry is a code as the CMS order file gives it: the code with its long
// title (Title) and the short title of at most 60 characters that claim
// forms and narrow displays use.
type Entry struct {
	Code
	Short string
}

// ParseError says which line of an order file is wrong and how.
type ParseError struct {
	Line int // 1-based; 0 when the file as a whole is wrong (empty)
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// The order file's fixed-width layout (CMS/CDC "icd10cm_order_YYYY.txt"):
//
//	cols  1-5   order number, zero-padded
//	col   6     space
//	cols  7-13  code without its dot, left-justified, space-padded
//	col   14    space
//	col   15    1 = valid for HIPAA-covered transactions (billable), 0 = header
//	col   16    space
//	cols 17-76  short title, space-padded to 60
//	col   77    space
//	cols 78-    long title
const (
	orderLen   = 5
	codeAt     = 6
	codeLen    = 7
	flagAt     = 14
	shortAt    = 16
	shortLen   = 60
	longAt     = 77
	minLineLen = longAt + 1
	// MaxLineLen bounds a line: the longest long title of a release is
	// about 230 characters, so anything far beyond is not an order file.
	MaxLineLen = 1024
)

// ParseOrderFile reads a whole CMS ICD-10-CM order file. It is strict: the
// first line that is not exactly in the layout is reported with its line
// number and what is wrong, and no codes are returned. Line endings may be
// LF or CRLF; blank lines are allowed only at the end of the file.
func ParseOrderFile(r io.Reader) ([]Code, error) {
	es, err := ParseOrderEntries(r)
	if err != nil {
		return nil, err
	}
	out := make([]Code, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out, nil
}

// ParseOrderEntries is ParseOrderFile keeping the short titles.
func ParseOrderEntries(r io.Reader) ([]Entry, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []Entry
	seen := map[string]int{}
	lastOrder := 0
	n := 0
	blankAt := 0 // the first blank line, which must be followed only by blank lines
	for {
		line, err := readLine(br)
		if err == io.EOF {
			break
		}
		n++
		if err != nil {
			if err == errLineTooLong {
				return nil, &ParseError{n, fmt.Sprintf("the line is longer than %d characters: this is not an ICD-10-CM order file", MaxLineLen)}
			}
			return nil, &ParseError{n, "the file could not be read: " + err.Error()}
		}
		if len(bytes.TrimRight(line, " \t")) == 0 {
			if blankAt == 0 {
				blankAt = n
			}
			continue
		}
		if blankAt != 0 {
			return nil, &ParseError{blankAt, "blank line in the middle of the file"}
		}
		e, order, msg := parseOrderLine(line)
		if msg != "" {
			return nil, &ParseError{n, msg}
		}
		if order <= lastOrder {
			return nil, &ParseError{n, fmt.Sprintf("order number %05d does not follow %05d: the lines are out of order or repeated", order, lastOrder)}
		}
		lastOrder = order
		k := Key(e.Code.Code)
		if first, dup := seen[k]; dup {
			return nil, &ParseError{n, fmt.Sprintf("code %s appears twice (first on line %d)", e.Code.Code, first)}
		}
		seen[k] = n
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, &ParseError{0, "the file holds no codes"}
	}
	return out, nil
}

var errLineTooLong = fmt.Errorf("line too long")

// readLine returns the next line without its LF or CRLF. The slice is
// valid until the next call.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineLen+2 {
			return nil, errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			buf = append(buf, chunk...)
			continue
		}
		if buf != nil {
			chunk = append(buf, chunk...)
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(chunk) == 0 {
			return nil, io.EOF
		}
		chunk = bytes.TrimSuffix(chunk, []byte("\n"))
		chunk = bytes.TrimSuffix(chunk, []byte("\r"))
		return chunk, nil
	}
}

// parseOrderLine parses one line; msg says what is wrong, "" if nothing.
func parseOrderLine(line []byte) (e Entry, order int, msg string) {
	if !utf8.Valid(line) {
		return e, 0, "the line is not valid UTF-8 text"
	}
	for i, c := range line {
		if c < 0x20 || c == 0x7f {
			return e, 0, fmt.Sprintf("control character %q at column %d", c, i+1)
		}
	}
	if len(line) < minLineLen {
		return e, 0, fmt.Sprintf("the line has %d characters; an order-file line has at least %d (order number, code, flag, 60-character short title, long title)", len(line), minLineLen)
	}
	for _, c := range line[:orderLen] {
		if c < '0' || c > '9' {
			return e, 0, fmt.Sprintf("columns 1-5 must be the order number (5 digits), found %q", line[:orderLen])
		}
	}
	order, _ = strconv.Atoi(string(line[:orderLen]))
	for _, at := range []int{orderLen, codeAt + codeLen, flagAt + 1, shortAt + shortLen} {
		if line[at] != ' ' {
			return e, 0, fmt.Sprintf("column %d must be a space, found %q: the fields are not in their fixed columns", at+1, line[at])
		}
	}
	raw := line[codeAt : codeAt+codeLen]
	code := string(bytes.TrimRight(raw, " "))
	if bytes.ContainsRune([]byte(code), ' ') || code == "" {
		return e, 0, fmt.Sprintf("columns 7-13 must be a code padded with spaces on the right, found %q", raw)
	}
	if !validKey(code) {
		return e, 0, fmt.Sprintf("%q is not an ICD-10-CM code (a capital letter, a digit, a digit or letter, then up to 4 more digits or capital letters)", code)
	}
	var billable bool
	switch line[flagAt] {
	case '1':
		billable = true
	case '0':
	default:
		return e, 0, fmt.Sprintf("column 15 must be 1 (billable) or 0 (header), found %q", line[flagAt])
	}
	short := string(bytes.TrimRight(line[shortAt:shortAt+shortLen], " "))
	if short == "" || line[shortAt] == ' ' {
		return e, 0, "the short title (columns 17-76) is empty or starts with a space"
	}
	long := string(bytes.TrimRight(line[longAt:], " "))
	if long == "" || line[longAt] == ' ' {
		return e, 0, "the long title (from column 78) is empty or starts with a space"
	}
	return Entry{Code: Code{Code: Format(code), Title: long, Billable: billable}, Short: short}, order, ""
}

// validKey reports whether k is written like an ICD-10-CM code without its
// dot: a capital letter, a digit, a digit or capital letter, then up to four
// digits or capital letters.
func validKey(k string) bool {
	if len(k) < 3 || len(k) > 7 {
		return false
	}
	if k[0] < 'A' || k[0] > 'Z' || k[1] < '0' || k[1] > '9' {
		return false
	}
	for i := 2; i < len(k); i++ {
		c := k[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// WriteOrderFile writes entries in the order-file layout ParseOrderFile
// reads, numbering them from 1. Short titles longer than 60 characters are
// cut; an empty short title is taken from the long title.
func WriteOrderFile(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	for i, e := range entries {
		short := e.Short
		if short == "" {
			short = e.Title
		}
		if len(short) > shortLen {
			short = short[:shortLen]
		}
		flag := '0'
		if e.Billable {
			flag = '1'
		}
		fmt.Fprintf(bw, "%05d %-7s %c %-60s %s\n", i+1, Key(e.Code.Code), flag, short, e.Title)
	}
	return bw.Flush()
}
