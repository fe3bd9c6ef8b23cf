package live

import (
	"fmt"
	"html"
)

// bundle is the display of text generated so far with a status line
// under it: HTML for Jupyter (the text wrapped like a terminal's, the
// status in grey), plain text for everything else.
func bundle(text, status string) map[string]any {
	return map[string]any{
		"text/plain": text + "\n\n" + status,
		"text/html": fmt.Sprintf(`<div style="white-space:pre-wrap;font-family:var(--jp-code-font-family,monospace)">%s</div>`+
			`<div style="color:#888;font-size:smaller;margin-top:0.5em">%s</div>`,
			html.EscapeString(text), html.EscapeString(status)),
	}
}
