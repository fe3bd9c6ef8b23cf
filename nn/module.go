package nn

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/mlx-go/mlx-go/tensor"
)

// Layer is a module with one input and one output.
type Layer interface {
	Forward(x *tensor.Array) *tensor.Array
}

// Base is embedded in every module: it holds the module's frozen parameter
// names and its training flag. Python keeps both on mlx.nn.Module.
type Base struct {
	frozen  map[string]bool
	evalMod bool // false = training (Python's default)
}

// Training reports whether the module is in training mode (Dropout acts).
func (b *Base) Training() bool { return !b.evalMod }

var (
	arrayType = reflect.TypeOf((*tensor.Array)(nil))
	baseType  = reflect.TypeOf(Base{})
)

// param is one parameter found by the walk: its full dotted name, its local
// name within the module that owns it, that module's Base (nil when the
// module embeds none) and the settable field holding it.
type param struct {
	name, local string
	owner       *Base
	pinned      bool // never trainable: its module is alwaysFrozen
	field       reflect.Value
}

// alwaysFrozen marks modules whose parameters never train (quantized
// layers, as in MLX), however they were built.
type alwaysFrozen interface{ alwaysFrozen() }

// child is one sub-module slot: its path and the settable value holding it.
type child struct {
	path string
	slot reflect.Value
}

// moduleValue is the struct a module points to, or an error naming what m is.
func moduleValue(op string, m any) (reflect.Value, error) {
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("%s: a module is a non-nil pointer to a struct, got %T", op, m)
	}
	return v.Elem(), nil
}

func mustModule(op string, m any) reflect.Value {
	v, err := moduleValue(op, m)
	if err != nil {
		panic(&tensor.Error{Op: op, Msg: err.Error()})
	}
	return v
}

// embeddedBase is the module's embedded Base, found as a field rather
// than through promoted methods: struct types the REPL's interpreter makes
// (reflect.StructOf) have no promoted methods.
func embeddedBase(v reflect.Value) *Base {
	if !v.CanAddr() {
		return nil
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous && f.Type == baseType {
			return v.Field(i).Addr().Interface().(*Base)
		}
	}
	return nil
}

// fieldName is the checkpoint name of a struct field: its tag, or the
// snake_case of its Go name (QProj -> q_proj, InputLayernorm -> input_layernorm).
func fieldName(f reflect.StructField) (string, bool) {
	if tag, ok := f.Tag.Lookup("nn"); ok {
		if tag == "-" {
			return "", false
		}
		return tag, true
	}
	return snake(f.Name), true
}

// FieldName is the checkpoint name of a struct field ("" when hidden with
// `nn:"-"`), for packages that walk modules themselves.
func FieldName(f reflect.StructField) string {
	name, ok := fieldName(f)
	if !ok {
		return ""
	}
	return name
}

func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			// A boundary before an upper-case letter that follows a lower-case
			// letter or digit, or that starts a word after an acronym (MLPGate -> mlp_gate).
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// walker visits a module tree once, depth first in field order.
type walker struct {
	params   []param
	children []child
	bases    []*Base
	seen     map[uintptr]bool
}

func walkModule(m any) *walker {
	w := &walker{seen: map[uintptr]bool{}}
	w.module("", reflect.ValueOf(m))
	return w
}

// module walks the struct that v (a pointer, interface or struct) holds.
func (w *walker) module(prefix string, v reflect.Value) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if w.seen[v.Pointer()] {
				return // a shared sub-module is listed once
			}
			w.seen[v.Pointer()] = true
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || v.Type() == arrayType.Elem() {
		return
	}
	owner := embeddedBase(v)
	if owner != nil {
		w.bases = append(w.bases, owner)
	}
	start := len(w.params)
	w.fields(prefix, v, owner)
	if v.CanAddr() {
		if _, ok := v.Addr().Interface().(alwaysFrozen); ok {
			for i := start; i < len(w.params); i++ {
				w.params[i].pinned = true
			}
		}
	}
}

func (w *walker) fields(prefix string, v reflect.Value, owner *Base) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Type == baseType {
			continue
		}
		fv := v.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			w.fields(prefix, fv, owner) // Go embedding: promoted fields
			continue
		}
		if f.Tag.Get("nn") == ",inline" { // a wrapper that keeps its inner module's names
			w.module(prefix, fv)
			continue
		}
		name, ok := fieldName(f)
		if !ok {
			continue
		}
		w.value(join(prefix, name), name, fv, owner)
	}
}

// value classifies one field or element: parameter, sub-module or list.
func (w *walker) value(path, local string, fv reflect.Value, owner *Base) {
	switch {
	case fv.Type() == arrayType:
		if !fv.IsNil() {
			w.params = append(w.params, param{name: path, local: local, owner: owner, field: fv})
		}
	case fv.Kind() == reflect.Slice || fv.Kind() == reflect.Array:
		if fv.Type().Elem() == arrayType { // a list of parameters
			for j := 0; j < fv.Len(); j++ {
				w.value(fmt.Sprintf("%s.%d", path, j), fmt.Sprintf("%s.%d", local, j), fv.Index(j), owner)
			}
			return
		}
		for j := 0; j < fv.Len(); j++ {
			w.value(fmt.Sprintf("%s.%d", path, j), "", fv.Index(j), nil)
		}
	case fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String:
		// A dict of sub-modules, by key in sorted order. Map values are not
		// addressable, so they must be pointers (or interfaces holding them).
		keys := fv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			w.module(path+"."+k.String(), fv.MapIndex(k))
		}
	case isModuleKind(fv):
		if fv.Kind() == reflect.Struct || !fv.IsNil() {
			w.children = append(w.children, child{path: path, slot: fv})
			w.module(path, fv)
		}
	}
}

func isModuleKind(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer:
		return v.Type().Elem().Kind() == reflect.Struct
	case reflect.Struct:
		return true
	}
	return false
}

// Parameters is every parameter of m by its dotted name.
func Parameters(m any) map[string]*tensor.Array {
	mustModule("nn.Parameters", m)
	out := map[string]*tensor.Array{}
	for _, p := range walkModule(m).params {
		out[p.name] = p.field.Interface().(*tensor.Array)
	}
	return out
}

// ParameterNames is the dotted names of m's parameters in walk order
// (field order, depth first).
func ParameterNames(m any) []string {
	mustModule("nn.ParameterNames", m)
	var out []string
	for _, p := range walkModule(m).params {
		out = append(out, p.name)
	}
	return out
}

// TrainableParameters is the parameters of m that are not frozen.
func TrainableParameters(m any) map[string]*tensor.Array {
	mustModule("nn.TrainableParameters", m)
	out := map[string]*tensor.Array{}
	for _, p := range walkModule(m).params {
		if p.trainable() {
			out[p.name] = p.field.Interface().(*tensor.Array)
		}
	}
	return out
}

// TrainableNames is the dotted names of the trainable parameters, in walk order.
func TrainableNames(m any) []string {
	mustModule("nn.TrainableNames", m)
	var out []string
	for _, p := range walkModule(m).params {
		if p.trainable() {
			out = append(out, p.name)
		}
	}
	return out
}

func (p param) trainable() bool {
	return !p.pinned && (p.owner == nil || !p.owner.frozen[p.local])
}

// CountParameters is the number of scalars in m's parameters (a quantized
// weight counts its packed uint32 words, as Python's tree_reduce does).
func CountParameters(m any) int {
	n := 0
	for _, a := range Parameters(m) {
		n += a.Size()
	}
	return n
}

// Freeze marks parameters of m and of all its sub-modules as not trainable:
// all of them, or only those whose local name (e.g. "bias") is in keys.
func Freeze(m any, keys ...string) { setFrozen("nn.Freeze", m, true, keys) }

// Unfreeze undoes Freeze (quantized weights stay frozen, as in Python).
func Unfreeze(m any, keys ...string) { setFrozen("nn.Unfreeze", m, false, keys) }

func setFrozen(op string, m any, frozen bool, keys []string) {
	mustModule(op, m)
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	for _, p := range walkModule(m).params {
		if len(keys) > 0 && !want[p.local] {
			continue
		}
		if p.owner == nil {
			panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("parameter %s belongs to a module without an embedded nn.Base, which records frozen state", p.name)})
		}
		if p.owner.frozen == nil {
			p.owner.frozen = map[string]bool{}
		}
		if frozen {
			p.owner.frozen[p.local] = true
		} else {
			delete(p.owner.frozen, p.local)
		}
	}
}

// SetTraining switches m and all its sub-modules between training (true)
// and evaluation mode, like Python's model.train() / model.eval().
func SetTraining(m any, training bool) {
	mustModule("nn.SetTraining", m)
	for _, b := range walkModule(m).bases {
		b.evalMod = !training
	}
}

// Update replaces m's parameters by the arrays in params, by dotted name.
// Every name must be a parameter of m with the same shape, and every
// parameter of m must be given; nothing changes when any check fails.
func Update(m any, params map[string]*tensor.Array) error {
	return update("nn.Update", m, params, checkAll)
}

// UpdatePartial is Update that leaves parameters absent from params as they
// are (unknown and mis-shaped names are still errors), as an optimizer does.
func UpdatePartial(m any, params map[string]*tensor.Array) error {
	return update("nn.UpdatePartial", m, params, allowMissing)
}

// How update treats names: all checks, or allowing parameters absent from
// the map, or also skipping names the module does not have.
const (
	checkAll = iota
	allowMissing
	allowMissingAndUnknown
)

func update(op string, m any, params map[string]*tensor.Array, mode int) error {
	if _, err := moduleValue(op, m); err != nil {
		return err
	}
	byName := map[string]param{}
	for _, p := range walkModule(m).params {
		byName[p.name] = p
	}
	var unexpected, missing, misshaped []string
	for name, a := range params {
		p, ok := byName[name]
		if !ok {
			if mode != allowMissingAndUnknown {
				unexpected = append(unexpected, name)
			}
			continue
		}
		if a == nil {
			misshaped = append(misshaped, name+" (nil array)")
			continue
		}
		old := p.field.Interface().(*tensor.Array)
		if !sameShape(old.Shape(), a.Shape()) {
			misshaped = append(misshaped, fmt.Sprintf("%s (module has %v, got %v)", name, old.Shape(), a.Shape()))
		}
	}
	if mode == checkAll {
		for name := range byName {
			if _, ok := params[name]; !ok {
				missing = append(missing, name)
			}
		}
	}
	if err := nameErrors(op, unexpected, missing, misshaped); err != nil {
		return err
	}
	for name, a := range params {
		if p, ok := byName[name]; ok {
			p.field.Set(reflect.ValueOf(a))
		}
	}
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// MapParameters replaces each parameter of m by f(name, parameter), in
// place (Python's model.apply); f returning nil keeps the parameter.
func MapParameters(m any, f func(name string, p *tensor.Array) *tensor.Array) {
	mustModule("nn.MapParameters", m)
	for _, p := range walkModule(m).params {
		if a := f(p.name, p.field.Interface().(*tensor.Array)); a != nil {
			p.field.Set(reflect.ValueOf(a))
		}
	}
}

// SetDtype casts m's floating-point parameters to d (Python's
// model.set_dtype): integer parameters, such as quantized weights, stay.
func SetDtype(m any, d tensor.Dtype) {
	MapParameters(m, func(_ string, p *tensor.Array) *tensor.Array {
		if p.Dtype().IsFloat() && p.Dtype() != d {
			return p.AsType(d)
		}
		return nil
	})
}
