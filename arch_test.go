package filo_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/filoproject/filo"

// pkgInfo is what the architecture tests need of one of our packages.
type pkgInfo struct {
	imports []string // non-test imports
	hasDoc  bool     // some non-test file carries a package doc comment
}

// loadPackages parses every non-test Go file of the module (skipping web
// assets and testdata) and returns our packages by import path.
func loadPackages(t *testing.T) map[string]*pkgInfo {
	t.Helper()
	pkgs := map[string]*pkgInfo{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		ip := module
		if dir != "." {
			ip = module + "/" + dir
		}
		p := pkgs[ip]
		if p == nil {
			p = &pkgInfo{}
			pkgs[ip] = p
		}
		if f.Doc != nil {
			p.hasDoc = true
		}
		for _, spec := range f.Imports {
			s, _ := strconv.Unquote(spec.Path.Value)
			p.imports = append(p.imports, s)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return pkgs
}

// deps returns every import reachable from pkg through our own packages
// (external packages are listed but not followed).
func deps(pkgs map[string]*pkgInfo, pkg string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		info := pkgs[p]
		if info == nil {
			return
		}
		for _, imp := range info.imports {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if strings.HasPrefix(imp, module+"/") {
				walk(imp)
			}
		}
	}
	walk(pkg)
	return seen
}

// forbidden reports the imports of set that match any of the prefixes.
func forbidden(set map[string]bool, prefixes ...string) []string {
	var bad []string
	for imp := range set {
		for _, p := range prefixes {
			if imp == p || strings.HasPrefix(imp, p+"/") {
				bad = append(bad, imp)
			}
		}
	}
	sort.Strings(bad)
	return bad
}

var (
	// Storage, transport and file formats: analysis must stay testable on
	// values alone (scan reaches a store only through the domain's
	// interfaces, never a driver).
	ioPackages = []string{"database/sql", "net/http", "modernc.org/sqlite", "github.com/jackc/pgx",
		module + "/sqlite", module + "/postgres", module + "/httpapi", module + "/casefolder"}
)

func TestDomainPackageImportsNothingOfOurs(t *testing.T) {
	pkgs := loadPackages(t)
	root := pkgs[module]
	if root == nil {
		t.Fatal("root package not found")
	}
	for _, imp := range root.imports {
		if strings.HasPrefix(imp, module) || strings.Contains(imp, ".") {
			t.Errorf("the domain package imports %s: it must depend on the standard library alone", imp)
		}
	}
	if bad := forbidden(deps(pkgs, module), ioPackages...); len(bad) > 0 {
		t.Errorf("the domain package reaches %v", bad)
	}
}

func TestAnalysisPackagesOpenNoStoreOrFile(t *testing.T) {
	pkgs := loadPackages(t)
	for _, name := range []string{"normalize", "resolve", "detect", "network", "traces", "policy", "scan"} {
		ip := module + "/" + name
		if pkgs[ip] == nil {
			t.Errorf("analysis package %s not found", name)
			continue
		}
		if bad := forbidden(deps(pkgs, ip), ioPackages...); len(bad) > 0 {
			t.Errorf("%s reaches %v: analysis works on domain values, the store and files stay outside", name, bad)
		}
	}
}

func TestEveryPackageHasADocComment(t *testing.T) {
	for ip, p := range loadPackages(t) {
		if !p.hasDoc {
			t.Errorf("package %s has no doc comment", ip)
		}
	}
}
