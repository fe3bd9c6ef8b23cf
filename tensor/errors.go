package tensor

import (
	"errors"
	"fmt"
	"strings"
)

// Error is the failure of an op: which op, the shapes and dtypes it was
// given, and MLX's own message.
//
// Convention: ops panic with *Error, the way Go panics on an out-of-range
// index, so that expressions chain (a.Add(b).Sum()); Try turns that panic back
// into an error. Functions that touch the outside world (files, parsing)
// return an error instead, like os.Open.
type Error struct {
	Op     string   // MLX's name for the op, e.g. "matmul"
	Inputs []string // each input as dtype[shape], e.g. "float32[2,3]"
	Msg    string   // what went wrong, MLX's text where MLX said it
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if len(e.Inputs) > 0 {
		b.WriteString("(" + strings.Join(e.Inputs, ", ") + ")")
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func newError(op string, err error, inputs []*Array) *Error {
	e := &Error{Op: op, Msg: err.Error()}
	for _, a := range inputs {
		e.Inputs = append(e.Inputs, describe(a))
	}
	return e
}

// describe is dtype[shape] of a, tolerant of nil and freed arrays.
func describe(a *Array) string {
	switch {
	case a == nil:
		return "nil"
	case a.h.IsNil():
		return "freed"
	}
	shape, dt := a.meta()
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return fmt.Sprintf("%s[%s]", dt, strings.Join(parts, ","))
}

// check panics with an *Error for op when err is not nil.
func check(op string, err error, inputs ...*Array) {
	if err != nil {
		panic(newError(op, err, inputs))
	}
}

// Try runs f and returns the *Error it panicked with, if any. Other panics
// pass through.
func Try(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			var e *Error
			if pe, ok := p.(error); ok && errors.As(pe, &e) {
				err = e
				return
			}
			panic(p)
		}
	}()
	f()
	return nil
}
