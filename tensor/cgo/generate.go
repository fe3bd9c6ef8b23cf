package cgo

//go:generate go run ./gen -table ops.def -out . -api ..
