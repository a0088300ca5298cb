package journaldb

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOpenIsPrivateAndDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	db, err := Open(path, `CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO t (k) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", p, st.Mode().Perm())
		}
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	db.Close()
	db, err = Open(path, `CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)`)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 1 {
		t.Errorf("reopened: %d rows, %v", n, err)
	}
}
