package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// The server's secret key: made beside a SQLite database (owner-only) and
// found there again; FASCIA_SECRET_KEY wins and makes no file; a bad one
// stops the server with a message.
func TestSecretKey(t *testing.T) {
	noEnv(t)
	t.Setenv("FASCIA_SECRET_KEY", "")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := filepath.Join(t.TempDir(), "clinic.db")
	db := openDB(t, path)
	if err := useSecretKey(db, path, "", log); err != nil || !db.HasSecretKey() {
		t.Fatalf("SQLite without a key: %v, has key %v", err, db.HasSecretKey())
	}
	fi, err := os.Stat(path + ".key")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	first, _ := os.ReadFile(path + ".key")
	if err := useSecretKey(db, path, "", log); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path + ".key"); string(again) != string(first) {
		t.Error("a second start made a new key: the saved password would no longer open")
	}

	other := filepath.Join(t.TempDir(), "other.db")
	db2 := openDB(t, other)
	t.Setenv("FASCIA_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err := useSecretKey(db2, other, "", log); err != nil || !db2.HasSecretKey() {
		t.Fatalf("FASCIA_SECRET_KEY: %v", err)
	}
	if _, err := os.Stat(other + ".key"); !os.IsNotExist(err) {
		t.Errorf("a key file was made although FASCIA_SECRET_KEY is set: %v", err)
	}
	t.Setenv("FASCIA_SECRET_KEY", "too short")
	if err := useSecretKey(db2, other, "", log); err == nil {
		t.Error("a bad FASCIA_SECRET_KEY was accepted")
	}
}
