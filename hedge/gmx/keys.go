package gmx

import (
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// DataStore keys, as gmx-synthetics contracts/data/Keys.sol builds them:
// hashString(x) = keccak256(abi.encode(string x)), and per-market keys
// keccak256(abi.encode(hashString(NAME), args...)).

var (
	tString, _  = abi.NewType("string", "", nil)
	tBytes32, _ = abi.NewType("bytes32", "", nil)
	tAddress, _ = abi.NewType("address", "", nil)
	tUint256, _ = abi.NewType("uint256", "", nil)
	tBool, _    = abi.NewType("bool", "", nil)
)

// HashString is keccak256(abi.encode(s)).
func HashString(s string) common.Hash {
	enc, err := abi.Arguments{{Type: tString}}.Pack(s)
	if err != nil {
		panic(err) // a string always encodes
	}
	return crypto.Keccak256Hash(enc)
}

// keyOf encodes hashString(name) followed by args (address, bool, *big.Int).
func keyOf(name string, args ...any) common.Hash {
	argsT := abi.Arguments{{Type: tBytes32}}
	vals := []any{[32]byte(HashString(name))}
	for _, a := range args {
		switch a.(type) {
		case common.Address:
			argsT = append(argsT, abi.Argument{Type: tAddress})
		case bool:
			argsT = append(argsT, abi.Argument{Type: tBool})
		case *big.Int:
			argsT = append(argsT, abi.Argument{Type: tUint256})
		default:
			panic("gmx key: unsupported argument type")
		}
		vals = append(vals, a)
	}
	enc, err := argsT.Pack(vals...)
	if err != nil {
		panic(err)
	}
	return crypto.Keccak256Hash(enc)
}

// Global keys.
var (
	KeyMinCollateralUSD          = HashString("MIN_COLLATERAL_USD")
	KeyMinPositionSizeUSD        = HashString("MIN_POSITION_SIZE_USD")
	KeyRequestExpirationTime     = HashString("REQUEST_EXPIRATION_TIME")
	KeyEstimatedGasFeeBaseAmount = HashString("ESTIMATED_GAS_FEE_BASE_AMOUNT_V2_1")
	KeyEstimatedGasFeePerOracle  = HashString("ESTIMATED_GAS_FEE_PER_ORACLE_PRICE")
	KeyEstimatedGasFeeMultiplier = HashString("ESTIMATED_GAS_FEE_MULTIPLIER_FACTOR")
	KeyExecutionGasFeeBaseAmount = HashString("EXECUTION_GAS_FEE_BASE_AMOUNT_V2_1")
	KeyExecutionGasFeePerOracle  = HashString("EXECUTION_GAS_FEE_PER_ORACLE_PRICE")
	KeyExecutionGasFeeMultiplier = HashString("EXECUTION_GAS_FEE_MULTIPLIER_FACTOR")
	KeyIncreaseOrderGasLimit     = HashString("INCREASE_ORDER_GAS_LIMIT")
	KeyDecreaseOrderGasLimit     = HashString("DECREASE_ORDER_GAS_LIMIT")
	KeySingleSwapGasLimit        = HashString("SINGLE_SWAP_GAS_LIMIT")
	KeyDepositGasLimit           = HashString("DEPOSIT_GAS_LIMIT")
	KeyOrderList                 = HashString("ORDER_LIST")
	KeyDepositList               = HashString("DEPOSIT_LIST")
)

func KeyMinCollateralFactor(market common.Address) common.Hash {
	return keyOf("MIN_COLLATERAL_FACTOR", market)
}
func KeyPositionFeeFactor(market common.Address, balanceWasImproved bool) common.Hash {
	return keyOf("POSITION_FEE_FACTOR", market, balanceWasImproved)
}
func KeyPositionImpactFactor(market common.Address, isPositive bool) common.Hash {
	return keyOf("POSITION_IMPACT_FACTOR", market, isPositive)
}
func KeyPositionImpactExponentFactor(market common.Address, isPositive bool) common.Hash {
	return keyOf("POSITION_IMPACT_EXPONENT_FACTOR", market, isPositive)
}
func KeyMaxPositionImpactFactor(market common.Address, isPositive bool) common.Hash {
	return keyOf("MAX_POSITION_IMPACT_FACTOR", market, isPositive)
}
func KeyFundingFactor(market common.Address) common.Hash { return keyOf("FUNDING_FACTOR", market) }
func KeyFundingExponentFactor(market common.Address) common.Hash {
	return keyOf("FUNDING_EXPONENT_FACTOR", market)
}
func KeySavedFundingFactorPerSecond(market common.Address) common.Hash {
	return keyOf("SAVED_FUNDING_FACTOR_PER_SECOND", market)
}
func KeyBorrowingFactor(market common.Address, isLong bool) common.Hash {
	return keyOf("BORROWING_FACTOR", market, isLong)
}
func KeyBorrowingExponentFactor(market common.Address, isLong bool) common.Hash {
	return keyOf("BORROWING_EXPONENT_FACTOR", market, isLong)
}
func KeyOpenInterest(market, collateral common.Address, isLong bool) common.Hash {
	return keyOf("OPEN_INTEREST", market, collateral, isLong)
}
func KeyIsMarketDisabled(market common.Address) common.Hash {
	return keyOf("IS_MARKET_DISABLED", market)
}
func KeyCreateOrderFeatureDisabled(orderHandler common.Address, orderType uint8) common.Hash {
	return keyOf("CREATE_ORDER_FEATURE_DISABLED", orderHandler, big.NewInt(int64(orderType)))
}
func KeyExecuteOrderFeatureDisabled(orderHandler common.Address, orderType uint8) common.Hash {
	return keyOf("EXECUTE_ORDER_FEATURE_DISABLED", orderHandler, big.NewInt(int64(orderType)))
}
func KeyClaimableFundingAmount(market, token, account common.Address) common.Hash {
	return keyOf("CLAIMABLE_FUNDING_AMOUNT", market, token, account)
}
func KeyPriceFeed(token common.Address) common.Hash { return keyOf("PRICE_FEED", token) }
func KeyPriceFeedMultiplier(token common.Address) common.Hash {
	return keyOf("PRICE_FEED_MULTIPLIER", token)
}
