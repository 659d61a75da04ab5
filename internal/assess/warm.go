package assess

// Warm builds the body chart's figures and caches (about 90 ms and 0.6 MB,
// once per process), so the first evaluation page or PDF a server shows
// does not pay for them. fascia serve calls it in the background at start.
func Warm() {
	RegionAt("anterior", 0.5, 0.5)
	_ = ChartSVG(nil, SVGOptions{Editable: true})
	_ = ChartSVG(nil, SVGOptions{})
}
