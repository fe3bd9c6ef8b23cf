package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// weightFiles lists a model's safetensors files: those of
// model.safetensors.index.json when the checkpoint is sharded (each must
// exist), else model*.safetensors as mlx-lm globs them. It also returns
// the index's name -> file map (nil when not sharded).
func weightFiles(dir string) ([]string, map[string]string, error) {
	idxPath := filepath.Join(dir, "model.safetensors.index.json")
	data, err := os.ReadFile(idxPath)
	if err == nil {
		var idx struct {
			WeightMap map[string]string `json:"weight_map"`
		}
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, nil, fmt.Errorf("%s: corrupt JSON: %w", idxPath, err)
		}
		seen := map[string]bool{}
		var files []string
		for _, f := range idx.WeightMap {
			if !seen[f] {
				seen[f] = true
				files = append(files, filepath.Join(dir, f))
			}
		}
		sort.Strings(files)
		for _, f := range files {
			if _, err := os.Stat(f); err != nil {
				return nil, nil, fmt.Errorf("%s: missing shard %s named by model.safetensors.index.json", dir, filepath.Base(f))
			}
		}
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("%s: empty weight_map", idxPath)
		}
		return files, idx.WeightMap, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "model*.safetensors"))
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: missing weights: no model*.safetensors", dir)
	}
	sort.Strings(files)
	return files, nil, nil
}

// readHeaders reads every weight file's header, checking that no tensor is
// in two files and that a sharded index agrees with the shards.
func readHeaders(dir string) (map[string]TensorHeader, []string, error) {
	files, index, err := weightFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	all := map[string]TensorHeader{}
	for _, f := range files {
		hs, _, err := ReadSafetensorsHeader(f)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range hs {
			if prev, dup := all[h.Name]; dup {
				return nil, nil, fmt.Errorf("tensor %q is in both %s and %s", h.Name, filepath.Base(prev.File), filepath.Base(f))
			}
			if index != nil && filepath.Join(dir, index[h.Name]) != f {
				return nil, nil, fmt.Errorf("tensor %q is in %s but model.safetensors.index.json says %q", h.Name, filepath.Base(f), index[h.Name])
			}
			all[h.Name] = h
		}
	}
	for name, f := range index {
		if _, ok := all[name]; !ok {
			return nil, nil, fmt.Errorf("tensor %q listed in model.safetensors.index.json is missing from %s", name, f)
		}
	}
	return all, files, nil
}
