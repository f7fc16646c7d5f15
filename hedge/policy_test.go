package hedge

import "testing"

func TestPolicyValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Policy)
		want string // "" = valid
	}{
		{"ratio above 1", func(p *Policy) { p.HedgeRatio = d("1.5") }, "hedge ratio 1.5 is outside 0..1"},
		{"ratio negative", func(p *Policy) { p.HedgeRatio = d("-0.1") }, "hedge ratio -0.1 is outside 0..1"},
		{"ratio 0", func(p *Policy) { p.HedgeRatio = d("0") }, ""},
		{"band 0", func(p *Policy) { p.Band = d("0") }, "band 0 is outside 0..1 (both exclusive)"},
		{"band 1", func(p *Policy) { p.Band = d("1") }, "band 1 is outside 0..1 (both exclusive)"},
		{"leverage below 1", func(p *Policy) { p.MaxLeverage = d("0.5") }, "max leverage 0.5 is outside 1..100"},
		{"leverage 100", func(p *Policy) { p.MaxLeverage = d("100") }, ""},
		{"leverage above 100", func(p *Policy) { p.MaxLeverage = d("101") }, "max leverage 101 is outside 1..100"},
		{"slippage high", func(p *Policy) { p.MaxSlippage = d("0.2") }, "max slippage 0.2 is outside 0..0.1"},
		{"slippage negative", func(p *Policy) { p.MaxSlippage = d("-0.001") }, "max slippage -0.001 is outside 0..0.1"},
		{"buffer high", func(p *Policy) { p.MarginBuffer = d("1.1") }, "margin buffer 1.1 is outside 0..1"},
		{"zero value", func(p *Policy) { *p = Policy{} }, "band 0 is outside 0..1 (both exclusive)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultPolicy()
			c.edit(&p)
			err := p.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case c.want != "" && (err == nil || err.Error() != c.want):
				t.Errorf("err %v, want %q", err, c.want)
			}
		})
	}
}
