package testsrv_test

import (
	"testing"

	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func TestStartSignIn(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			s := testsrv.Start(t, e)
			c := s.SignIn(t, testsrv.Owner)
			res, err := c.Get(s.URL + "/clients")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("clients page: %d", res.StatusCode)
			}
		})
	}
}
