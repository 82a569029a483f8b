// Package web holds the workspace's browser front end, built by Vite from
// the TypeScript sources beside this file (`npm ci && npm run build`) into
// dist/, which the binary embeds. A binary built without that step still
// serves the API and says how to build the UI.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built front end; it holds no index.html when the UI was
// not built.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
