package hedge

import (
	"reflect"
	"testing"
)

// A checked policy plans exactly as the policy does, refuses what Validate
// refuses, and notices any change to the default or an override.
func TestCheckedPolicies(t *testing.T) {
	pol := pols(nil)
	pol.Assets = map[string]AssetPolicy{"ETH": pol.Default}
	ck, err := CheckPolicies(pol)
	if err != nil {
		t.Fatal(err)
	}
	s := hedged("-0.50")
	dec, err := EvaluateRisk(s, nil, pol, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	dec2, err := EvaluateRiskChecked(s, nil, ck, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dec, dec2) {
		t.Errorf("checked risk differs:\n%+v\n%+v", dec, dec2)
	}
	plan, alerts, err := ApplyRisk(s, pol, dec)
	if err != nil {
		t.Fatal(err)
	}
	plan2, alerts2, err := ApplyRiskChecked(s, ck, dec2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan, plan2) || !reflect.DeepEqual(alerts, alerts2) {
		t.Errorf("checked plan differs:\n%+v\n%+v", plan, plan2)
	}

	if !ck.Same(pol) {
		t.Error("the policy it checked is not Same")
	}
	// The caller's map changing after the check is a different policy.
	p := pol.Assets["ETH"]
	p.Band = d("0.2")
	pol.Assets["ETH"] = p
	if ck.Same(pol) {
		t.Error("a changed override is Same")
	}
	pol2 := pols(nil)
	pol2.Default.HedgeRatio = d("0.5")
	if ck.Same(pol2) {
		t.Error("a changed default is Same")
	}
	bad := pols(nil)
	bad.Default.Band = d("0")
	if _, err := CheckPolicies(bad); err == nil {
		t.Error("band 0 checked")
	}
	if _, err := EvaluateRiskChecked(s, nil, CheckedPolicies{}, RiskState{}); err == nil {
		t.Error("an unchecked policy planned")
	}
	if _, _, err := ApplyRiskChecked(s, CheckedPolicies{}, dec); err == nil {
		t.Error("an unchecked policy planned")
	}
}
