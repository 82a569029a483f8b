// Package testenv finds what tests need outside the repository: the shared
// folder beside the clone (../shared), which a user's clone does not have.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, walking up from the
// working directory (a test runs in its package's directory).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Shared returns the path of ../shared/<rel> beside the repository, or skips
// the test with a message when it is absent (a user's clone has none).
func Shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("../shared/%s is absent (only CI and developers have ../shared): %v", rel, err)
	}
	return p
}

// PostgresURL returns the PostgreSQL URL tests may use (FILO_TEST_POSTGRES),
// or skips the test.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("FILO_TEST_POSTGRES")
	if u == "" {
		t.Skip("FILO_TEST_POSTGRES is not set: PostgreSQL tests skipped")
	}
	return u
}
