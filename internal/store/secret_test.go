package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestSMTPPasswordSealed: the SMTP password is in the database only
// sealed; it opens with the server's key and no other, not for another
// organisation; a password stored before sealing still reads; a server
// without a key refuses to keep one, and says why.
func TestSMTPPasswordSealed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		save := func(db *store.DB, orgID int64, pw string) error {
			s := store.SMTPSettings{Host: "smtp.example.com", Port: 587, TLS: "starttls", Username: "u", Password: pw, From: "front@example.com"}
			return tx(t, db, func(tx *sql.Tx) error { return db.SaveSMTPSettings(ctx, tx, orgID, s) })
		}
		raw := func(orgID int64) string {
			var v string
			if err := tx(t, db, func(tx *sql.Tx) error {
				return tx.QueryRowContext(ctx, "SELECT password FROM smtp_settings WHERE org_id = $1", orgID).Scan(&v)
			}); err != nil {
				t.Fatal(err)
			}
			return v
		}
		if err := save(db, f.org.ID, "s3cret pass"); err != nil {
			t.Fatal(err)
		}
		stored := raw(f.org.ID)
		if !strings.HasPrefix(stored, "sealed:v1:") || strings.Contains(stored, "s3cret") {
			t.Fatalf("the column holds %q", stored)
		}
		if got, err := db.SMTPSettings(ctx, f.org.ID); err != nil || got.Password != "s3cret pass" || got.PasswordUnreadable {
			t.Fatalf("read back: %+v, %v", got, err)
		}

		// Sealed for one organisation, it does not open for another.
		if err := save(db, f.otherOrg.ID, "x"); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE smtp_settings SET password = $1 WHERE org_id = $2", stored, f.otherOrg.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SMTPSettings(ctx, f.otherOrg.ID); got.Password != "" || !got.PasswordUnreadable {
			t.Errorf("another organisation opened the sealed password: %+v", got)
		}

		// A password saved before sealing reads as it is.
		if err := tx(t, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE smtp_settings SET password = 'old plain' WHERE org_id = $1", f.otherOrg.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SMTPSettings(ctx, f.otherOrg.ID); got.Password != "old plain" || got.PasswordUnreadable {
			t.Errorf("a password from before sealing: %+v", got)
		}
		// At start the server seals it.
		if n, err := db.SealStoredSecrets(ctx); err != nil || n != 1 {
			t.Errorf("sealing the stored passwords: %d, %v", n, err)
		}
		if v := raw(f.otherOrg.ID); !strings.HasPrefix(v, "sealed:v1:") || strings.Contains(v, "old plain") {
			t.Errorf("after sealing the column holds %q", v)
		}
		if got, _ := db.SMTPSettings(ctx, f.otherOrg.ID); got.Password != "old plain" {
			t.Errorf("the sealed old password reads %+v", got)
		}
		if n, _ := db.SealStoredSecrets(ctx); n != 0 {
			t.Errorf("sealed %d again", n)
		}

		// Another key (another server, a lost key file): unreadable, not an error.
		if err := db.SetSecretKey(bytes.Repeat([]byte{7}, store.KeySize)); err != nil {
			t.Fatal(err)
		}
		if got, err := db.SMTPSettings(ctx, f.org.ID); err != nil || got.Password != "" || !got.PasswordUnreadable || got.Host != "smtp.example.com" {
			t.Errorf("with another key: %+v, %v", got, err)
		}

		// A server without a key keeps no password, and nothing is saved.
		bare, err := store.Open(ctx, testdb.DSN(t, db.Engine))
		if err != nil {
			t.Fatal(err)
		}
		defer bare.Close()
		g := setup(t, bare)
		if err := save(bare, g.org.ID, "s3cret"); errs.Code(err) != errs.Invalid || !strings.Contains(errs.FieldsOf(err)["password"], "FASCIA_SECRET_KEY") {
			t.Errorf("saving a password without a key: %v", err)
		}
		if got, _ := bare.SMTPSettings(ctx, g.org.ID); got.Host != "" {
			t.Errorf("a refused save stored %+v", got)
		}
		if err := save(bare, g.org.ID, ""); err != nil {
			t.Errorf("settings without a password need no key: %v", err)
		}
	})
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fascia.db.key")
	k, made, err := store.KeyFile(path)
	if err != nil || !made || len(k) != store.KeySize {
		t.Fatalf("first: %d bytes, made %v, %v", len(k), made, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, %v; want 0600", fi.Mode(), err)
	}
	again, made, err := store.KeyFile(path)
	if err != nil || made || !bytes.Equal(again, k) {
		t.Errorf("second read: made %v, same %v, %v", made, bytes.Equal(again, k), err)
	}
	os.WriteFile(path, []byte("not a key\n"), 0o600)
	if _, _, err := store.KeyFile(path); err == nil || !strings.Contains(err.Error(), "base64") {
		t.Errorf("a bad key file: %v", err)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("A", 40)} {
		if _, err := store.ParseSecretKey(bad); err == nil {
			t.Errorf("ParseSecretKey(%q) accepted", bad)
		}
	}
	if _, err := store.ParseSecretKey(" MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= \n"); err != nil {
		t.Errorf("a padded key with spaces: %v", err)
	}
}
