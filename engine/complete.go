package engine

func (e *Engine) Complete(src string, cursor int) (items []string, start, end int) { return nil, cursor, cursor }
func (e *Engine) Inspect(src string, cursor int) (text string, ok bool)            { return "", false }
func (e *Engine) IsComplete(src string) (status, indent string)                     { return "complete", "" }
