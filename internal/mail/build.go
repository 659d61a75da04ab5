package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// reserved are the headers Build writes itself; Message.Headers may not set them.
var reserved = map[string]bool{
	"Date": true, "Message-Id": true, "Mime-Version": true, "From": true, "To": true,
	"Cc": true, "Bcc": true, "Sender": true, "Subject": true,
	"Content-Type": true, "Content-Transfer-Encoding": true, "Content-Disposition": true,
}

// maxHeaderValue keeps every header line, even one that cannot be folded,
// inside the 998 characters RFC 5322 §2.1.1 allows.
const maxHeaderValue = 900

// maxName bounds a display name, which (encoded) shares a line with its address.
const maxName = 300

// Build renders m as an RFC 5322 message from the given sender, dated now,
// with Message-ID msgID (generated from from's domain when empty).
//
// Structure (RFC 2046 §5.1): the text, HTML and calendar bodies are the
// parts of a multipart/alternative in increasing order of preference; with
// a calendar or attachments that is the first part of a multipart/mixed
// whose further parts are invite.ics and the attachments. A message with
// only text is a single text/plain part.
func Build(from, fromName string, m Message, now time.Time, msgID string) ([]byte, error) {
	f := errs.FieldErrors{}
	if from == "" {
		f.Add("from_addr", "Enter the address mail is sent from.")
	} else if err := checkAddress(from); err != nil {
		f.Add("from_addr", err.Error())
	}
	if why := badText(fromName); why != "" {
		f.Add("from_name", "The sender name "+why+".")
	} else if len(fromName) > maxName {
		f.Add("from_name", "The sender name is too long.")
	}
	if m.To == "" {
		f.Add("to", "The message has no recipient address.")
	} else if err := checkAddress(m.To); err != nil {
		f.Add("to", err.Error())
	}
	if why := badText(m.ToName); why != "" {
		f.Add("to_name", "The recipient name "+why+".")
	} else if len(m.ToName) > maxName {
		f.Add("to_name", "The recipient name is too long.")
	}
	if why := badText(m.Subject); why != "" {
		f.Add("subject", "The subject "+why+".")
	} else if len(m.Subject) > maxHeaderValue {
		f.Add("subject", "The subject is too long.")
	}
	if strings.TrimSpace(m.Text) == "" {
		f.Add("text", "The message needs a plain-text body.")
	}
	method := strings.ToUpper(m.CalendarMethod)
	if method == "" {
		method = "REQUEST"
	}
	if len(m.Calendar) > 0 && !isToken(method) {
		// RFC 5545 §3.7.2: METHOD is an iana-token.
		f.Add("calendar_method", "The calendar method must be a word such as REQUEST or CANCEL.")
	}
	for i, a := range m.Attachments {
		key := fmt.Sprintf("attachments.%d", i)
		if a.Name == "" || strings.ContainsFunc(a.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			f.Add(key, "An attachment needs a file name without line breaks or control characters.")
		}
		if a.ContentType != "" {
			if _, _, err := mime.ParseMediaType(a.ContentType); err != nil || hasLineBreak(a.ContentType) {
				f.Add(key, "The attachment's content type is not a valid MIME type.")
			}
		}
	}
	names := make([]string, 0, len(m.Headers))
	for k, v := range m.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		switch {
		case !isFieldName(k):
			f.Add("headers", "A header name may only contain printable characters other than a colon.")
		case reserved[ck]:
			f.Add("headers", fmt.Sprintf("The %s header is written by Fascia and cannot be set.", ck))
		case badText(v) != "":
			f.Add("headers", fmt.Sprintf("The %s header %s.", ck, badText(v)))
		case len(k)+len(v) > maxHeaderValue:
			f.Add("headers", fmt.Sprintf("The %s header is too long.", ck))
		}
		names = append(names, k)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	sort.Strings(names)

	if msgID == "" {
		msgID = NewMessageID(from)
	}
	msgID = strings.TrimSuffix(strings.TrimPrefix(msgID, "<"), ">")
	if !validMsgID(msgID) {
		return nil, errs.E(errs.Invalid, "The Message-ID must look like unique@domain, without spaces or angle brackets inside.")
	}

	var b bytes.Buffer
	// RFC 5322 §3.3: day, date, time and a numeric zone.
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+msgID+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "From", formatAddress(fromName, from))
	writeHeader(&b, "To", formatAddress(m.ToName, m.To))
	writeHeader(&b, "Subject", encodeSubject(m.Subject))
	for _, k := range names {
		writeHeader(&b, textproto.CanonicalMIMEHeaderKey(k), encodeText(m.Headers[k]))
	}

	// The alternative bodies, simplest first (RFC 2046 §5.1.4).
	type body struct {
		header textproto.MIMEHeader
		data   []byte
	}
	bodies := []body{{qpHeader("text/plain; charset=utf-8"), qp(m.Text)}}
	if m.HTML != "" {
		bodies = append(bodies, body{qpHeader("text/html; charset=utf-8"), qp(m.HTML)})
	}
	var ics []byte
	if len(m.Calendar) > 0 {
		ics = crlf(m.Calendar)
		// RFC 6047 §2.4: the METHOD parameter must match the object's METHOD.
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", mime.FormatMediaType("text/calendar", map[string]string{"charset": "utf-8", "method": method}))
		data := ics
		if isASCII(string(ics)) {
			// As Google Calendar sends its own invitations: the object as it is.
			h.Set("Content-Transfer-Encoding", "7bit")
		} else {
			h.Set("Content-Transfer-Encoding", "base64")
			data = b64(ics)
		}
		bodies = append(bodies, body{h, data})
	}

	var main body
	if len(bodies) == 1 {
		main = bodies[0]
	} else {
		var ab bytes.Buffer
		aw := newMultipart(&ab)
		for _, p := range bodies {
			w, _ := aw.CreatePart(p.header)
			w.Write(p.data)
		}
		aw.Close()
		main = body{textproto.MIMEHeader{"Content-Type": {mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": aw.Boundary()})}}, ab.Bytes()}
	}

	type file struct {
		name, ctype string
		data        []byte
		inline      bool
	}
	var files []file
	if ics != nil {
		files = append(files, file{"invite.ics", "application/ics", ics, false})
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		files = append(files, file{a.Name, ct, a.Data, a.Inline})
	}

	if len(files) == 0 {
		for _, k := range sortedKeys(main.header) {
			writeHeader(&b, k, main.header.Get(k))
		}
		b.WriteString("\r\n")
		b.Write(main.data)
		return b.Bytes(), nil
	}
	var mb bytes.Buffer
	mw := newMultipart(&mb)
	w, _ := mw.CreatePart(main.header)
	w.Write(main.data)
	for _, fl := range files {
		mt, params, _ := mime.ParseMediaType(fl.ctype)
		params["name"] = fl.name
		disp := "attachment"
		if fl.inline {
			disp = "inline"
		}
		h := textproto.MIMEHeader{}
		// FormatMediaType quotes the name, or encodes it per RFC 2231 when
		// it is not ASCII.
		h.Set("Content-Type", mime.FormatMediaType(mt, params))
		h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": fl.name}))
		h.Set("Content-Transfer-Encoding", "base64")
		if fl.inline {
			h.Set("Content-ID", "<"+fl.name+">")
		}
		w, _ := mw.CreatePart(h)
		w.Write(b64(fl.data))
	}
	mw.Close()
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	b.Write(mb.Bytes())
	return b.Bytes(), nil
}

// newMultipart starts a multipart body whose boundary begins with "=_",
// which cannot occur in quoted-printable or base64 text (RFC 2045 §6.7,
// RFC 2046 §5.1.1), and is short enough to keep header lines short.
func newMultipart(w io.Writer) *multipart.Writer {
	mw := multipart.NewWriter(w)
	r := make([]byte, 12)
	rand.Read(r)
	mw.SetBoundary("=_" + hex.EncodeToString(r))
	return mw
}

// NewMessageID returns a random Message-ID (RFC 5322 §3.6.4) in the domain
// of the sender's address, without angle brackets.
func NewMessageID(from string) string {
	domain := "fascia.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	r := make([]byte, 16)
	rand.Read(r)
	return hex.EncodeToString(r) + "@" + domain
}

func validMsgID(id string) bool {
	at := strings.IndexByte(id, '@')
	if at <= 0 || at == len(id)-1 || len(id) > 900 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// isFieldName: RFC 5322 §3.6.8, printable US-ASCII except colon.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// formatAddress writes "display name" <address>. An ASCII name becomes a
// quoted-string (net/mail), any other an RFC 2047 encoded-word: Q when the
// name's ASCII characters are all allowed in a phrase's Q word (RFC 2047
// §5(3)), else B, so that commas, quotes or backslashes cannot change how
// the address list parses.
func formatAddress(name, addr string) string {
	if isASCII(name) {
		return (&mail.Address{Name: name, Address: addr}).String()
	}
	enc := mime.QEncoding
	if strings.ContainsFunc(name, func(r rune) bool {
		return r < utf8.RuneSelf && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" !*+-/=_", r))
	}) {
		enc = mime.BEncoding
	}
	return enc.Encode("utf-8", name) + " <" + addr + ">"
}

// badText says what makes s unfit for a header, or "" when it is fit. A
// line break would let the value start a header of its choosing (header
// injection); other control characters and broken UTF-8 cannot be shown.
func badText(s string) string {
	switch {
	case hasLineBreak(s):
		return "may not contain a line break"
	case !utf8.ValidString(s):
		return "is not valid text (UTF-8)"
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "may not contain control characters"
	}
	return ""
}

// encodeSubject is encodeText, except that an ASCII subject containing
// "=?" is encoded too: a receiver would try to decode it as an encoded-word
// (RFC 2047 §6.1). Base64 words of 45 bytes stay within 75 characters.
func encodeSubject(s string) string {
	if !isASCII(s) || !strings.Contains(s, "=?") {
		return encodeText(s)
	}
	var words []string
	for len(s) > 0 {
		n := min(45, len(s))
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// encodeText makes an unstructured header value ASCII: RFC 2047 Q
// encoded-words when it has other characters.
func encodeText(s string) string { return mime.QEncoding.Encode("utf-8", s) }

// writeHeader writes one header field, folded at spaces so that lines stay
// within 76 characters where the value allows: RFC 2047 §2 limits a line
// with encoded-words to 76, RFC 5322 §2.1.1 asks for 78. The first word may
// go to a continuation line too (FWS may follow the colon, RFC 5322 §3.2.2).
func writeHeader(b *bytes.Buffer, name, value string) {
	const limit = 76
	b.WriteString(name + ":")
	width, content := len(name)+1, true // a line may be folded once it has content
	for _, word := range strings.Split(value, " ") {
		// A folded line must not be only white space (RFC 5322 §3.2.2).
		if width+1+len(word) > limit && content {
			b.WriteString("\r\n")
			width, content = 0, false
		}
		b.WriteString(" " + word)
		width += 1 + len(word)
		content = content || word != ""
	}
	b.WriteString("\r\n")
}

func qpHeader(ct string) textproto.MIMEHeader {
	return textproto.MIMEHeader{"Content-Type": {ct}, "Content-Transfer-Encoding": {"quoted-printable"}}
}

// qp encodes a text body as quoted-printable (RFC 2045 §6.7); line breaks
// of any kind become CRLF.
func qp(s string) []byte {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// b64 encodes data as base64 in lines of 76 characters (RFC 2045 §6.8).
func b64(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// crlf makes every line end in CRLF, as RFC 5545 §3.1 and RFC 5322 require.
func crlf(data []byte) []byte {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\n", "\r\n")
	if !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	return []byte(s)
}

func sortedKeys(h textproto.MIMEHeader) []string {
	ks := make([]string, 0, len(h))
	for k := range h {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
