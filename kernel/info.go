package kernel

import (
	"runtime"
	"strings"
)

// info is the kernel_info_reply content.
func (k *Kernel) info() map[string]any {
	k.bannerOnce.Do(func() {
		k.bannerText = "mlx-go: Go with MLX"
		if k.cfg.Banner != nil {
			k.bannerText = k.cfg.Banner()
		}
	})
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         "mlxkernel",
		"implementation_version": k.cfg.Version,
		"language_info": map[string]any{
			"name":            "go",
			"version":         strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":        "text/x-go",
			"file_extension":  ".go",
			"pygments_lexer":  "go",
			"codemirror_mode": "go",
		},
		"banner":   k.bannerText,
		"debugger": false,
		"help_links": []map[string]string{
			{"text": "mlx-go", "url": "https://github.com/mlx-go/mlx-go"},
			{"text": "MLX documentation", "url": "https://ml-explore.github.io/mlx/"},
			{"text": "Go standard library", "url": "https://pkg.go.dev/std"},
			{"text": "Go language specification", "url": "https://go.dev/ref/spec"},
		},
	}
}
