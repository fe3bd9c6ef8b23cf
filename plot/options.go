package plot

// Option changes how a figure is drawn: plot.Line(a, plot.Title("loss"),
// plot.LogY()). Options are plain functions so that interpreted cells can
// pass them (yaegi has no generics in user-facing calls).
type Option func(*config)

// config is what the options set; the zero value is not used, see defaults.
type config struct {
	title, xLabel, yLabel string
	legend                []string
	width, height         float64 // inches
	logY                  bool
}

// dpi turns inches into pixels for raster output: 6.4x4.8 inches is
// 640x480 pixels, matplotlib's default figure.
const dpi = 100

func defaults() config { return config{width: 6.4, height: 4.8} }

func configure(opts []Option) config {
	c := defaults()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Title sets the figure's title.
func Title(s string) Option { return func(c *config) { c.title = s } }

// XLabel labels the x axis.
func XLabel(s string) Option { return func(c *config) { c.xLabel = s } }

// YLabel labels the y axis.
func YLabel(s string) Option { return func(c *config) { c.yLabel = s } }

// Legend names the lines in the order they are drawn (the rows of a 2-D
// array given to Line); a figure with named lines shows a legend.
func Legend(names ...string) Option {
	return func(c *config) { c.legend = append([]string(nil), names...) }
}

// Size sets the figure's size in inches; PNG output has 100 pixels per
// inch (the default 6.4x4.8 gives 640x480).
func Size(widthInches, heightInches float64) Option {
	return func(c *config) { c.width, c.height = widthInches, heightInches }
}

// LogY puts the y axis on a log scale (values must be positive).
func LogY() Option { return func(c *config) { c.logY = true } }
