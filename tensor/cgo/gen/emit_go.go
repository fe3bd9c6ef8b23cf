package main

import (
	"fmt"
	"strings"
)

// goLowType is the Go type of a param in package cgo.
func goLowType(t string) string {
	return map[string]string{"array": "Handle", "scalar": "Handle", "key": "Handle",
		"arrays": "[]Handle", "int": "int", "ints": "[]int", "shape": "[]int", "float": "float64",
		"double": "float64", "bool": "bool", "dtype": "int", "string": "string", "uint64": "uint64"}[t]
}

func goLowLevel(ops []op) string {
	var b strings.Builder
	// No op keeps a pointer it is given or calls back into Go: telling cgo
	// so lets result variables stay on the stack and skips the preparation
	// for callbacks, on every op call.
	var directives strings.Builder
	for _, o := range ops {
		fmt.Fprintf(&directives, "#cgo noescape mlxgo_%s\n#cgo nocallback mlxgo_%s\n", o.name, o.name)
	}
	fmt.Fprintf(&b, "// %s\n\npackage cgo\n\n/*\n#include <stdlib.h>\n#include \"bridge.h\"\n\n%s*/\nimport \"C\"\n\nimport \"unsafe\"\n\nvar _ unsafe.Pointer\n", banner, directives.String())
	for _, o := range ops {
		var sig, pre, args, post []string
		for _, p := range o.params {
			n := lowerFirst(camel(p.name))
			if n == "type" || n == "func" || n == "range" {
				n += "_"
			}
			sig = append(sig, n+" "+goLowType(p.typ))
			switch p.typ {
			case "array", "scalar", "key":
				args = append(args, n+".c()")
			case "arrays":
				pre = append(pre, fmt.Sprintf("%sC := cHandles(%s)", n, n))
				args = append(args, fmt.Sprintf("handlesPtr(%sC)", n), fmt.Sprintf("C.int(len(%sC))", n))
			case "int", "dtype":
				args = append(args, "C.int("+n+")")
			case "ints", "shape":
				// A stack buffer: the C side copies the ints and keeps no pointer.
				pre = append(pre, fmt.Sprintf("var %sBuf [8]C.int", n), fmt.Sprintf("%sC := appendCInts(%sBuf[:0], %s)", n, n, n))
				args = append(args, fmt.Sprintf("intsPtr(%sC)", n), fmt.Sprintf("C.int(len(%sC))", n))
			case "float", "double":
				args = append(args, "C.double("+n+")")
			case "bool":
				args = append(args, "C.bool("+n+")")
			case "string":
				pre = append(pre, fmt.Sprintf("%sC := C.CString(%s)", n, n))
				post = append(post, fmt.Sprintf("C.free(unsafe.Pointer(%sC))", n))
				args = append(args, n+"C")
			case "uint64":
				args = append(args, "C.uint64_t("+n+")")
			}
			if p.opt && !isHandle(p.typ) {
				sig = append(sig, n+"Has bool")
				args = append(args, "C.bool("+n+"Has)")
			}
		}
		sig = append(sig, "s Stream")
		args = append(args, "s.c()")
		ret := "Handle"
		if o.ret != "array" {
			ret = "[]Handle"
		}
		fmt.Fprintf(&b, "\n// %s calls mlxgo_%s.\nfunc %s(%s) (%s, error) {\n", o.goName, o.name, o.goName, strings.Join(sig, ", "), ret)
		for _, l := range pre {
			b.WriteString("\t" + l + "\n")
		}
		if o.ret == "array" {
			b.WriteString("\tvar res C.mlxgo_array\n\tl := lock()\n")
			fmt.Fprintf(&b, "\tst := C.mlxgo_%s(&res, %s)\n", o.name, strings.Join(args, ", "))
			b.WriteString("\terr := statusError(st)\n\tunlock(l)\n")
			for _, l := range post {
				b.WriteString("\t" + l + "\n")
			}
			b.WriteString("\treturn Handle{unsafe.Pointer(res)}, err\n}\n")
		} else {
			b.WriteString("\tvar res *C.mlxgo_array\n\tvar n C.int\n\tl := lock()\n")
			fmt.Fprintf(&b, "\tst := C.mlxgo_%s(&res, &n, %s)\n", o.name, strings.Join(args, ", "))
			b.WriteString("\terr := statusError(st)\n\tunlock(l)\n")
			for _, l := range post {
				b.WriteString("\t" + l + "\n")
			}
			b.WriteString("\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn takeHandles(res, n), nil\n}\n")
		}
	}
	return b.String()
}

// goAPIType is the Go type of a positional param in package tensor.
func goAPIType(t string) string {
	return map[string]string{"array": "*Array", "scalar": "any", "arrays": "[]*Array", "int": "int",
		"ints": "[]int", "shape": "[]int", "float": "float64", "double": "float64", "bool": "bool",
		"dtype": "Dtype", "string": "string", "uint64": "uint64"}[t]
}

func goAPI(ops []op) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// %s\n\npackage tensor\n\nimport \"github.com/mlx-go/mlx-go/tensor/cgo\"\n", banner)
	for _, o := range ops {
		writeAPIFunc(&b, o)
	}
	return b.String()
}

func varName(p param) string {
	n := lowerFirst(camel(p.name))
	switch n {
	case "type", "func", "range", "len", "copy", "max", "min", "string":
		n += "V"
	}
	return n
}

func writeAPIFunc(b *strings.Builder, o op) {
	var sig, callArgs, arrayVars, listVars, optNames []string
	var body strings.Builder
	var scalars []param
	firstArray := ""
	for _, p := range o.params {
		n := varName(p)
		if p.isOption() {
			continue
		}
		sig = append(sig, n+" "+goAPIType(p.typ))
		if p.typ == "array" && firstArray == "" {
			firstArray = n
		}
		if p.typ == "scalar" {
			scalars = append(scalars, p)
		}
	}
	hasOpts := false
	for _, p := range o.params {
		if p.isOption() {
			hasOpts = true
		}
	}
	sig = append(sig, "opts ...Opt")
	// Options: locals with defaults, then the parse loop.
	for _, p := range o.params {
		if !p.isOption() {
			continue
		}
		n := varName(p)
		key := p.optName
		if p.typ == "dtype" {
			key = "dtype"
		}
		optNames = append(optNames, key)
		switch {
		case p.typ == "array" || p.typ == "key":
			fmt.Fprintf(&body, "\tvar %s *Array\n", n)
		case p.typ == "scalar":
			fmt.Fprintf(&body, "\tvar %s any = %s\n", n, p.def)
		case p.def != "":
			fmt.Fprintf(&body, "\tvar %s %s = %s\n", n, goAPIType(p.typ), p.def)
		default:
			fmt.Fprintf(&body, "\tvar %s %s\n", n, goAPIType(p.typ))
		}
		if p.opt && !isHandle(p.typ) {
			fmt.Fprintf(&body, "\t%sHas := false\n", n)
		}
	}
	body.WriteString("\tst := defaultStream()\n")
	_ = hasOpts
	body.WriteString("\tfor _, o := range opts {\n\t\toptKey, optVal := o.opt()\n\t\tswitch optKey {\n")
	for _, p := range o.params {
		if !p.isOption() {
			continue
		}
		n := varName(p)
		key := p.optName
		if p.typ == "dtype" {
			key = "dtype"
		}
		conv := map[string]string{"int": "optInt", "ints": "optInts", "shape": "optInts", "float": "optFloat",
			"double": "optFloat", "bool": "optBool", "string": "optString", "array": "optArray", "key": "optArray",
			"dtype": "optDtype", "scalar": "optAny"}[p.typ]
		fmt.Fprintf(&body, "\t\tcase %q:\n\t\t\t%s = %s(%q, optKey, optVal)\n", key, n, conv, o.name)
		if p.opt && !isHandle(p.typ) {
			fmt.Fprintf(&body, "\t\t\t%sHas = true\n", n)
		}
	}
	body.WriteString("\t\tcase \"stream\":\n\t\t\tst = optStream(optVal)\n")
	fmt.Fprintf(&body, "\t\tdefault:\n\t\t\tbadOption(%q, optKey, %q)\n\t\t}\n\t}\n", o.name, strings.Join(optNames, ", "))
	// Scalars become arrays typed like their array operands (Python's weak scalars).
	// Two required scalars (binary ops, where's x and y) are typed by each other.
	var temps []string
	if len(scalars) == 2 && (firstArray == "" || !scalars[0].opt && !scalars[1].opt) {
		a, c := varName(scalars[0]), varName(scalars[1])
		fmt.Fprintf(&body, "\t%sA, %sA, tmp := scalarPair(%q, %s, %s)\n\tdefer tmp.free()\n", a, c, o.name, a, c)
	} else {
		for _, p := range o.params {
			if p.typ != "scalar" {
				continue
			}
			n := varName(p)
			like := firstArray
			if like == "" {
				like = "nil"
			}
			fmt.Fprintf(&body, "\t%sA, %sT := asArray(%q, %s, %s)\n", n, n, o.name, n, like)
			temps = append(temps, n+"T")
		}
		if len(temps) > 0 {
			fmt.Fprintf(&body, "\tdefer freeTemps(%s)\n", strings.Join(temps, ", "))
		}
	}
	for _, p := range o.params {
		n := varName(p)
		switch p.typ {
		case "array", "key":
			if p.isOption() {
				callArgs = append(callArgs, fmt.Sprintf("optHandle(%q, %s)", o.name, n))
			} else {
				callArgs = append(callArgs, n+".handle("+fmt.Sprintf("%q", o.name)+")")
			}
			arrayVars = append(arrayVars, n)
		case "scalar":
			callArgs = append(callArgs, n+"A.handle("+fmt.Sprintf("%q", o.name)+")")
			arrayVars = append(arrayVars, n+"A")
			if p.opt {
				callArgs[len(callArgs)-1] = fmt.Sprintf("optHandle(%q, %sA)", o.name, n)
			}
		case "arrays":
			callArgs = append(callArgs, "handles("+fmt.Sprintf("%q", o.name)+", "+n+")")
			listVars = append(listVars, n)
		case "dtype":
			if p.opt {
				callArgs = append(callArgs, "int("+n+")")
			} else {
				callArgs = append(callArgs, "int("+n+")")
			}
		default:
			callArgs = append(callArgs, n)
		}
		if p.opt && !isHandle(p.typ) {
			callArgs = append(callArgs, n+"Has")
		}
	}
	callArgs = append(callArgs, "st")
	desc := "nil"
	if len(arrayVars) > 0 {
		desc = "[]*Array{" + strings.Join(arrayVars, ", ") + "}"
	}
	for i, l := range listVars { // array lists are inputs too, for error messages
		if i == 0 && desc == "nil" {
			desc = "[]*Array{}"
		}
		desc = "append(" + desc + ", " + l + "...)"
	}
	fmt.Fprintf(&body, "\th, err := cgo.%s(%s)\n", o.goName, strings.Join(callArgs, ", "))
	retType := "*Array"
	switch o.ret {
	case "array":
		fmt.Fprintf(&body, "\treturn result(%q, h, err, %s)\n", o.name, desc)
	case "arrays":
		retType = "[]*Array"
		fmt.Fprintf(&body, "\treturn results(%q, h, err, %s)\n", o.name, desc)
	case "pair":
		retType = "(*Array, *Array)"
		fmt.Fprintf(&body, "\tr := results(%q, h, err, %s)\n\treturn r[0], r[1]\n", o.name, desc)
	}
	doc := fmt.Sprintf("%s is MLX's %s.", o.goName, o.name)
	if o.doc != "" {
		doc = o.goName + " is " + o.doc
	}
	if len(optNames) > 0 {
		doc += " Options: " + strings.Join(optNames, ", ") + "."
	}
	doc = "// " + wrapComment(doc)
	fmt.Fprintf(b, "\n%s\nfunc %s(%s) %s {\n%s}\n", doc, o.goName, strings.Join(sig, ", "), retType, body.String())
	// The method form: the first positional array param becomes the receiver.
	if o.noMethod || len(o.params) == 0 || o.params[0].isOption() || (o.params[0].typ != "array" && o.params[0].typ != "scalar") {
		return
	}
	recvSig := sig[1:]
	var names []string
	for _, s := range sig {
		names = append(names, strings.Fields(s)[0])
	}
	names[len(names)-1] = "opts..."
	fmt.Fprintf(b, "\n// %s is the method form of %s.\nfunc (%s *Array) %s(%s) %s {\n\treturn %s(%s)\n}\n",
		o.goName, o.goName, names[0], o.goName, strings.Join(recvSig, ", "), retType, o.goName, strings.Join(names, ", "))
}

func goOptions(opts map[string]option) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// %s\n\npackage tensor\n", banner)
	for _, k := range sortedKeys(opts) {
		o := opts[k]
		if o.variadc {
			fmt.Fprintf(&b, "\n// %s sets the %s option of the ops that take it.\nfunc %s(v ...%s) Opt { return option{%q, v} }\n", o.goName, o.goName, o.goName, o.goType, o.key)
		} else {
			fmt.Fprintf(&b, "\n// %s sets the %s option of the ops that take it.\nfunc %s(v %s) Opt { return option{%q, v} }\n", o.goName, o.goName, o.goName, o.goType, o.key)
		}
	}
	return b.String()
}

// wrapComment breaks a doc comment's text into lines of about 110
// characters ("// " continued).
func wrapComment(text string) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > 110 {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n// ")
}
