package web_test

import (
	"io"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// FuzzPublicBookingForm posts arbitrary form bodies to the public booking
// form, as anyone on the internet may: the answer is never a server error.
func FuzzPublicBookingForm(f *testing.F) {
	s := testsrv.Start(f, store.SQLite)
	for _, b := range []string{
		"location=1&service=4&therapist=0&start=2030-03-04T10%3A00%3A00-06%3A00&first_name=Ana&last_name=Fuzz&dob=1990-01-01&email=a%40b.co&phone=5125550100&form_token=1-0-x",
		"location=-1&service=99999999999999999999&start=not-a-time&dob=13%2F45%2F1990&website=x",
		"location=1&service=4&start=0001-01-01T00%3A00%3A00Z&first_name=%00&last_name=%ED%A0%80&note=" + strings.Repeat("a", 5000),
		"form_token=9223372036854775807-9223372036854775807-AAAA&start=9999-12-31T23%3A59%3A59%2B14%3A00",
		"%zz", "", "location=1&location=2&therapist=abc",
	} {
		f.Add(b)
	}
	c := s.Client()
	f.Fuzz(func(t *testing.T, body string) {
		res, err := c.Post(s.URL+"/book/"+s.Org.Slug+"/book", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("POST %q: %d %.300s", body, res.StatusCode, b)
		}
	})
}
