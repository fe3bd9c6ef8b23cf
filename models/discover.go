package models

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Discover finds every loadable model under root (any directory holding a
// config.json), including the Hugging Face cache layout
// models--org--name/snapshots/<revision>/, reading only configs and
// safetensors headers. Directories with a config.json that cannot be
// loaded are reported in the error (one line each) while the loadable ones
// are still returned.
func Discover(root string) ([]*ModelInfo, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	var found []*ModelInfo
	var problems []error
	walkErr := filepath.WalkDir(real, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		if !d.IsDir() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A symlinked directory (not a file) is a model linked in.
			st, err := os.Stat(path)
			if err != nil || !st.IsDir() {
				return nil
			}
		}
		if strings.HasPrefix(d.Name(), ".") && path != real {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "config.json")); err != nil {
			return nil
		}
		info, err := Info(path)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		found = append(found, info)
		return nil
	})
	if walkErr != nil {
		problems = append(problems, walkErr)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
	return found, errors.Join(problems...)
}

// modelName names a model directory: "org/name@rev" (first 8 characters
// of the revision) inside a Hugging Face cache, else its directory name.
func modelName(dir string) string {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(dir)), "/")
	for i := len(parts) - 3; i >= 0; i-- {
		if strings.HasPrefix(parts[i], "models--") && parts[i+1] == "snapshots" {
			repo := strings.SplitN(strings.TrimPrefix(parts[i], "models--"), "--", 2)
			name := strings.Join(repo, "/")
			rev := parts[i+2]
			if len(rev) > 8 {
				rev = rev[:8]
			}
			return name + "@" + rev
		}
	}
	return filepath.Base(dir)
}
