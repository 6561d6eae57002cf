package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServerToken(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	e := &env{getenv: func(string) string { return "" }}
	tok, made, err := serverToken(e, db, false)
	if err != nil || !made || len(tok) != 48 {
		t.Fatalf("first start: %q, made %v, %v", tok, made, err)
	}
	info, err := os.Stat(db + ".token")
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", info, err)
	}
	again, made, err := serverToken(e, db, false)
	if err != nil || made || again != tok {
		t.Errorf("second start: %q (made %v), want the kept %q: %v", again, made, tok, err)
	}
	e.getenv = func(k string) string {
		if k == "DOSSIER_TOKEN" {
			return " from-the-environment \n"
		}
		return ""
	}
	if got, made, err := serverToken(e, db, false); err != nil || made || got != "from-the-environment" {
		t.Errorf("$DOSSIER_TOKEN: %q, made %v, %v", got, made, err)
	}
}

// A read-only server writes no token file, and a PostgreSQL store, which
// has no folder to keep one in, takes the token from the environment.
func TestServerTokenElsewhere(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "replica.db")
	e := &env{getenv: func(string) string { return "" }}
	tok, made, err := serverToken(e, db, true)
	if err != nil || !made || len(tok) != 48 {
		t.Fatalf("read-only: %q, made %v, %v", tok, made, err)
	}
	if _, err := os.Stat(db + ".token"); !os.IsNotExist(err) {
		t.Errorf("read-only server made a token file: %v", err)
	}
	pg := "postgres://dossier@db.example/news"
	if _, _, err := serverToken(e, pg, false); err == nil || !strings.Contains(err.Error(), "DOSSIER_TOKEN") {
		t.Errorf("PostgreSQL without $DOSSIER_TOKEN: %v", err)
	}
	if tok, made, err := serverToken(e, pg, true); err != nil || !made || len(tok) != 48 {
		t.Errorf("PostgreSQL read-only: %q, made %v, %v", tok, made, err)
	}
}

func TestServeFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"serve", "extra"}, 2},
		{[]string{"serve", "--open", "--addr", "0.0.0.0:0"}, 2},
		{[]string{"serve", "--addr", "not-an-address"}, 1},
		{[]string{"serve", "--read-only", "--watch", "1m"}, 2},
		{[]string{"serve", "--read-only", "--open"}, 2},
	}
	for _, tt := range tests {
		if code, _, errOut := runCLI(t, db, tt.args...); code != tt.code {
			t.Errorf("%v: exit %d, want %d: %s", tt.args, code, tt.code, errOut)
		}
	}
	if !isLoopback(&net.TCPAddr{IP: net.IPv6loopback}) || isLoopback(&net.TCPAddr{IP: net.IPv4zero}) {
		t.Error("isLoopback")
	}
}
