package lora

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Config is mlx-lm's LoRA configuration, as adapter_config.json stores it.
type Config struct {
	FineTuneType string     `json:"fine_tune_type"` // "lora"
	NumLayers    int        `json:"num_layers"`     // adapt only the last N of the model's layers.<i>; <= 0: all
	Parameters   Parameters `json:"lora_parameters"`
}

// Parameters are the adapter's shape and targets. mlx-lm stores the
// multiplier as scale; PEFT-style alpha is scale = alpha/rank, and Apply
// derives Scale from Alpha when only Alpha is given.
type Parameters struct {
	Rank    int      `json:"rank"`
	Scale   float64  `json:"scale"`
	Alpha   float64  `json:"alpha,omitempty"`
	Dropout float64  `json:"dropout"`
	Keys    []string `json:"keys,omitempty"` // module names; see Apply
}

// scale is the adapter multiplier the parameters ask for.
func (p Parameters) scale() (float64, error) {
	switch {
	case p.Scale != 0:
		return p.Scale, nil
	case p.Alpha != 0:
		return p.Alpha / float64(p.Rank), nil
	}
	return 0, fmt.Errorf("lora_parameters needs scale (mlx-lm) or alpha (scale = alpha/rank)")
}

// Apply freezes m and replaces each targeted *nn.Linear or
// *nn.QuantizedLinear by a LoRA Linear around it, so only the adapters
// train. A module is targeted when a key equals its path, is a dotted
// suffix of it ("self_attn.q_proj" targets model.layers.3.self_attn.q_proj)
// or is a glob matching it ("model.layers.*.mlp.*_proj"). It returns the
// adapted paths. The fields holding targets must have an interface type
// (nn.Layer).
func Apply(m any, cfg Config) ([]string, error) {
	const op = "lora.Apply"
	p := cfg.Parameters
	if len(p.Keys) == 0 {
		return nil, fmt.Errorf("%s: lora_parameters.keys names no modules to adapt", op)
	}
	if p.Rank <= 0 {
		return nil, fmt.Errorf("%s: lora_parameters.rank must be positive, got %d", op, p.Rank)
	}
	scale, err := p.scale()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tensor.Try(func() { nn.Freeze(m) }); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	slots := targets(m)
	first := firstLayer(slots, cfg.NumLayers)
	var done []string
	for _, s := range slots {
		if !matches(s.path, p.Keys) || layerIndex(s.path) < first {
			continue
		}
		base, ok := s.slot.Interface().(nn.Layer)
		if _, adapted := base.(*Linear); !ok || adapted {
			continue
		}
		l, err := FromBase(base, p.Rank, p.Dropout, scale)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", op, s.path, err)
		}
		if !reflect.TypeOf(l).AssignableTo(s.slot.Type()) || !s.slot.CanSet() {
			return nil, fmt.Errorf("%s: %s is declared %s, which cannot hold a *lora.Linear: declare it nn.Layer", op, s.path, s.slot.Type())
		}
		s.slot.Set(reflect.ValueOf(l))
		done = append(done, s.path)
	}
	if len(done) == 0 {
		return nil, fmt.Errorf("%s: no Linear or QuantizedLinear module matches keys %v", op, p.Keys)
	}
	return done, nil
}

// Fuse replaces every LoRA Linear in m by its fused layer (see Linear.Fuse).
func Fuse(m any, dequantize bool) error {
	for _, s := range targets(m) {
		l, ok := s.slot.Interface().(*Linear)
		if !ok {
			continue
		}
		fused, err := l.Fuse(dequantize)
		if err != nil {
			return fmt.Errorf("lora.Fuse: %s: %w", s.path, err)
		}
		s.slot.Set(reflect.ValueOf(fused))
	}
	return nil
}

type slot struct {
	path string
	slot reflect.Value // settable; holds a module pointer
}

// targets lists every module-holding field or list element of m, with its
// dotted path, in the same naming as nn.ParameterNames.
func targets(m any) []slot {
	var out []slot
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Type == reflect.TypeOf(nn.Base{}) || f.Type == reflect.TypeOf((*tensor.Array)(nil)) {
				continue
			}
			name := nn.FieldName(f)
			if name == "" {
				continue
			}
			fv := v.Field(i)
			if f.Tag.Get("nn") == ",inline" || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
				walk(prefix, fv)
				continue
			}
			p := join(prefix, name)
			switch fv.Kind() {
			case reflect.Slice, reflect.Array:
				for j := 0; j < fv.Len(); j++ {
					e := fv.Index(j)
					ep := p + "." + strconv.Itoa(j)
					if e.Kind() == reflect.Interface || e.Kind() == reflect.Pointer {
						out = append(out, slot{ep, e})
					}
					walk(ep, e)
				}
			case reflect.Interface, reflect.Pointer:
				out = append(out, slot{p, fv})
				walk(p, fv)
			case reflect.Struct:
				walk(p, fv)
			}
		}
	}
	walk("", reflect.ValueOf(m))
	return out
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func matches(p string, keys []string) bool {
	for _, k := range keys {
		if p == k || strings.HasSuffix(p, "."+k) {
			return true
		}
		if strings.ContainsAny(k, "*?[") {
			if ok, _ := path.Match(k, p); ok {
				return true
			}
		}
	}
	return false
}

// layerIndex is i in "...layers.<i>..." (-1 when the path has none).
func layerIndex(p string) int {
	parts := strings.Split(p, ".")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "layers" {
			if n, err := strconv.Atoi(parts[i+1]); err == nil {
				return n
			}
		}
	}
	return -1
}

// firstLayer is the first layer index to adapt: mlx-lm adapts the last
// numLayers of model.layers. Modules outside the layer list (-1) are
// adapted only when all layers are.
func firstLayer(slots []slot, numLayers int) int {
	if numLayers <= 0 {
		return -1
	}
	count := 0
	for _, s := range slots {
		if i := layerIndex(s.path); i+1 > count {
			count = i + 1
		}
	}
	return max(count-numLayers, 0)
}

// SaveAdapters writes m's trainable parameters (the adapters) to
// dir/adapters.safetensors and cfg to dir/adapter_config.json.
func SaveAdapters(m any, dir string, cfg Config) error {
	if cfg.FineTuneType == "" {
		cfg.FineTuneType = "lora"
	}
	if cfg.Parameters.Scale == 0 && cfg.Parameters.Rank > 0 {
		cfg.Parameters.Scale = cfg.Parameters.Alpha / float64(cfg.Parameters.Rank) // mlx-lm reads only scale
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("lora.SaveAdapters: %w", err)
	}
	if err := tensor.SaveSafetensors(filepath.Join(dir, "adapters.safetensors"), nn.TrainableParameters(m), map[string]string{"format": "mlx"}); err != nil {
		return fmt.Errorf("lora.SaveAdapters: %w", err)
	}
	js, err := json.MarshalIndent(cfg, "", "    ")
	if err != nil {
		return fmt.Errorf("lora.SaveAdapters: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "adapter_config.json"), js, 0o644); err != nil {
		return fmt.Errorf("lora.SaveAdapters: %w", err)
	}
	return nil
}

// LoadAdapters reads an mlx-lm adapter directory: it applies the LoRA
// layers its config describes to m and loads the adapter weights (every
// tensor in the file must name a parameter of m, with the right shape).
func LoadAdapters(m any, dir string) (Config, error) {
	const op = "lora.LoadAdapters"
	var cfg Config
	raw, err := os.ReadFile(filepath.Join(dir, "adapter_config.json"))
	if err != nil {
		return cfg, fmt.Errorf("%s: %w", op, err)
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return cfg, fmt.Errorf("%s: adapter_config.json: %w", op, err)
	}
	switch cfg.FineTuneType {
	case "", "lora":
	default:
		return cfg, fmt.Errorf("%s: fine_tune_type %q is not supported (only lora)", op, cfg.FineTuneType)
	}
	if _, err := Apply(m, cfg); err != nil {
		return cfg, err
	}
	arrays, _, err := tensor.LoadSafetensors(filepath.Join(dir, "adapters.safetensors"))
	if err != nil {
		return cfg, fmt.Errorf("%s: %w", op, err)
	}
	if err := nn.UpdatePartial(m, arrays); err != nil {
		return cfg, fmt.Errorf("%s: %w", op, err)
	}
	return cfg, nil
}
