package lm

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/tensor"
)

// Prompt caches are saved in mlx-lm's save_prompt_cache format, so either
// side loads the other's files: arrays named "<layer>.<item>" from each
// layer's state tuple (quantized keys "<layer>.0.<i>"), integers stored as
// 0-d int32 arrays and listed under metadata "2.<n>.0" (name) and
// "2.<n>.1" ("scalar"), the class of layer i under "1.<i>", and the
// caller's metadata under "0.<key>".

// SavePromptCache writes c to path (a .safetensors file).
func SavePromptCache(path string, c *Cache, metadata map[string]string) error {
	if c == nil {
		return fmt.Errorf("lm: no cache to save")
	}
	arrays := map[string]*tensor.Array{}
	meta := map[string]string{"2.0": ""}
	var scalars []*tensor.Array
	defer func() { freeAll(scalars) }()
	nScalars := 0
	scalar := func(name string, v int) {
		a := tensor.Scalar(int32(v))
		scalars = append(scalars, a)
		arrays[name] = a
		nScalars++
		meta[fmt.Sprintf("2.%d.0", nScalars)] = name
		meta[fmt.Sprintf("2.%d.1", nScalars)] = "scalar"
	}
	for k, v := range metadata {
		meta["0."+k] = v
	}
	for i, l := range c.layers {
		p := fmt.Sprintf("%d.", i)
		switch l := l.(type) {
		case *kvCache:
			if l.keys == nil || l.leftPad != nil {
				return fmt.Errorf("lm: layer %d: only a filled single-sequence cache can be saved", i)
			}
			meta[fmt.Sprintf("1.%d", i)] = "KVCache"
			arrays[p+"0"], arrays[p+"1"] = l.keys, l.values
			scalar(p+"2", l.n)
		case *rotatingCache:
			if l.keys == nil {
				return fmt.Errorf("lm: layer %d: empty cache", i)
			}
			meta[fmt.Sprintf("1.%d", i)] = "RotatingKVCache"
			arrays[p+"0"], arrays[p+"1"] = l.keys, l.values
			for j, v := range []int{l.n, l.keep, l.maxSize, l.idx} {
				scalar(p+strconv.Itoa(2+j), v)
			}
		case *quantizedCache:
			if l.keys[0] == nil {
				return fmt.Errorf("lm: layer %d: empty cache", i)
			}
			meta[fmt.Sprintf("1.%d", i)] = "QuantizedKVCache"
			for j := range 3 {
				arrays[fmt.Sprintf("%s0.%d", p, j)], arrays[fmt.Sprintf("%s1.%d", p, j)] = l.keys[j], l.values[j]
			}
			for j, v := range []int{l.n, l.groupSize, l.bits} {
				scalar(p+strconv.Itoa(2+j), v)
			}
		}
	}
	return tensor.SaveSafetensors(path, arrays, meta)
}

// LoadPromptCache reads a prompt cache saved by SavePromptCache or
// mlx-lm's save_prompt_cache, with the caller's metadata.
func LoadPromptCache(path string) (*Cache, map[string]string, error) {
	arrays, meta, err := tensor.LoadSafetensors(path)
	if err != nil {
		return nil, nil, err
	}
	c, user, err := promptCacheFrom(arrays, meta)
	if err != nil {
		for _, a := range arrays {
			a.Free()
		}
		return nil, nil, fmt.Errorf("lm: %s: %w", path, err)
	}
	return c, user, nil
}

func promptCacheFrom(arrays map[string]*tensor.Array, meta map[string]string) (c *Cache, user map[string]string, err error) {
	user = map[string]string{}
	for k, v := range meta {
		if name, ok := strings.CutPrefix(k, "0."); ok {
			user[name] = v
		}
	}
	get := func(name string) *tensor.Array {
		a, ok := arrays[name]
		if !ok {
			panic(fmt.Errorf("missing array %q", name))
		}
		delete(arrays, name)
		return a
	}
	num := func(name string) int {
		a := get(name)
		defer a.Free()
		if a.Size() != 1 || a.Dtype().IsFloat() {
			panic(fmt.Errorf("%q is not an integer", name))
		}
		return a.Int()
	}
	c = &Cache{}
	err = catch(func() {
		for i := 0; ; i++ {
			class, ok := meta[fmt.Sprintf("1.%d", i)]
			if !ok {
				break
			}
			p := fmt.Sprintf("%d.", i)
			switch class {
			case "KVCache":
				l := &kvCache{keys: get(p + "0"), values: get(p + "1")}
				l.n = num(p + "2")
				c.layers = append(c.layers, l)
			case "RotatingKVCache":
				l := &rotatingCache{keys: get(p + "0"), values: get(p + "1")}
				l.n, l.keep, l.maxSize, l.idx = num(p+"2"), num(p+"3"), num(p+"4"), num(p+"5")
				c.layers = append(c.layers, l)
			case "QuantizedKVCache":
				l := &quantizedCache{}
				for j := range 3 {
					l.keys[j], l.values[j] = get(fmt.Sprintf("%s0.%d", p, j)), get(fmt.Sprintf("%s1.%d", p, j))
				}
				l.n, l.groupSize, l.bits = num(p+"2"), num(p+"3"), num(p+"4")
				c.layers = append(c.layers, l)
			default:
				panic(fmt.Errorf("layer %d: unsupported cache class %q", i, class))
			}
		}
		if len(c.layers) == 0 {
			panic(fmt.Errorf("no cache layers (not a prompt cache file)"))
		}
		if len(arrays) > 0 {
			panic(fmt.Errorf("unexpected arrays %v", slices.Sorted(maps.Keys(arrays))))
		}
	})
	if err != nil {
		c.Free()
		return nil, nil, err
	}
	return c, user, nil
}

// catch turns a panic with an error (ours, or a *tensor.Error) into an error.
func catch(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			e, ok := p.(error)
			if !ok {
				panic(p)
			}
			err = e
		}
	}()
	f()
	return nil
}
