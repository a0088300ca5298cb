package report

import "strconv"

// chart is a horizontal bar chart of counts, drawn as inline SVG.
type chart struct {
	Title string
	W, H  float64
	Bars  []bar
	Empty bool
}

type bar struct {
	Label      string
	N          int
	Class      string
	Y          float64
	BarW       float64
	LabelX     float64
	BarX       float64
	CountX     float64
	TextY      float64
	BarH       float64
	Percentage string
}

const (
	chartW      = 440.0
	chartLabelW = 150.0
	chartRowH   = 24.0
	chartBarMax = 230.0
)

func barChart(title string, counts []count) *chart {
	c := &chart{Title: title, W: chartW}
	max, total := 0, 0
	for _, k := range counts {
		if k.N > max {
			max = k.N
		}
		total += k.N
	}
	for i, k := range counts {
		y := 8 + float64(i)*chartRowH
		w := 0.0
		if max > 0 {
			w = chartBarMax * float64(k.N) / float64(max)
		}
		if w < 2 {
			w = 2
		}
		b := bar{Label: k.Key, N: k.N, Class: k.Class, Y: y, BarH: chartRowH - 8, BarW: w,
			LabelX: chartLabelW - 8, BarX: chartLabelW, CountX: chartLabelW + w + 6, TextY: y + chartRowH/2}
		if total > 0 {
			b.Percentage = strconv.Itoa(k.N*100/total) + "%"
		}
		c.Bars = append(c.Bars, b)
	}
	c.H = 16 + float64(len(counts))*chartRowH
	if len(counts) == 0 {
		c.Empty = true
		c.H = 40
	}
	return c
}
