package checkpoint

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/mlx-go/mlx-go/tensor"
)

// saveShards writes model.safetensors, or with n > 1 the files
// model-0000i-of-0000n.safetensors (tensors in name order, split by size)
// and model.safetensors.index.json, as transformers shards checkpoints.
func saveShards(dir string, weights map[string]*tensor.Array, n int) error {
	meta := map[string]string{"format": "mlx"}
	if n <= 1 {
		return tensor.SaveSafetensors(filepath.Join(dir, "model.safetensors"), weights, meta)
	}
	names := slices.Sorted(maps.Keys(weights))
	if n > len(names) {
		return fmt.Errorf("cannot split %d tensors into %d shards", len(names), n)
	}
	var total int64
	for _, k := range names {
		total += int64(weights[k].Nbytes())
	}
	weightMap := map[string]string{}
	var done int64
	start := 0
	for s := 0; s < n; s++ {
		file := fmt.Sprintf("model-%05d-of-%05d.safetensors", s+1, n)
		shard := map[string]*tensor.Array{}
		// Fill this shard up to its share of the bytes, leaving at least
		// one tensor for each later shard.
		limit := total * int64(s+1) / int64(n)
		end := start
		for end < len(names)-(n-s-1) && (end == start || done+int64(weights[names[end]].Nbytes()) <= limit || s == n-1) {
			done += int64(weights[names[end]].Nbytes())
			end++
		}
		for _, k := range names[start:end] {
			shard[k] = weights[k]
			weightMap[k] = file
		}
		if err := tensor.SaveSafetensors(filepath.Join(dir, file), shard, meta); err != nil {
			return err
		}
		start = end
	}
	return writeJSON(filepath.Join(dir, "model.safetensors.index.json"), map[string]any{
		"metadata": map[string]any{"total_size": total}, "weight_map": weightMap})
}
