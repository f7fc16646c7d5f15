// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// MultiReadCall3 is an auto generated low-level Go binding around an user-defined struct.
type MultiReadCall3 struct {
	Target       common.Address
	AllowFailure bool
	CallData     []byte
}

// MultiReadResult is an auto generated low-level Go binding around an user-defined struct.
type MultiReadResult struct {
	Success    bool
	ReturnData []byte
}

// PerpVenueMarketParams is an auto generated low-level Go binding around an user-defined struct.
type PerpVenueMarketParams struct {
	MaxLeverage       *big.Int
	MaintenanceMargin *big.Int
	TakerFee          *big.Int
	SkewScale         *big.Int
	FundingCoeff      *big.Int
	MaxFundingRate    *big.Int
	LiquidationReward *big.Int
}

// PerpVenueMarketView is an auto generated low-level Go binding around an user-defined struct.
type PerpVenueMarketView struct {
	Id               *big.Int
	Symbol           string
	Feed             common.Address
	IndexPrice       *big.Int
	MarkPrice        *big.Int
	Skew             *big.Int
	OiLong           *big.Int
	OiShort          *big.Int
	FundingRate      *big.Int
	FundingIndex     *big.Int
	LastFundingTime  uint64
	Paused           bool
	FundingSuspended bool
	Params           PerpVenueMarketParams
}

// PerpVenuePositionView is an auto generated low-level Go binding around an user-defined struct.
type PerpVenuePositionView struct {
	Size           *big.Int
	EntryPrice     *big.Int
	Margin         *big.Int
	AccruedFunding *big.Int
	UnrealizedPnl  *big.Int
	Equity         *big.Int
	Notional       *big.Int
	Liquidatable   bool
}

// MultiReadMetaData contains all meta data concerning the MultiRead contract.
var MultiReadMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"CallFailed\",\"type\":\"error\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"target\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"allowFailure\",\"type\":\"bool\"},{\"internalType\":\"bytes\",\"name\":\"callData\",\"type\":\"bytes\"}],\"internalType\":\"structMultiRead.Call3[]\",\"name\":\"calls\",\"type\":\"tuple[]\"}],\"name\":\"aggregate3\",\"outputs\":[{\"components\":[{\"internalType\":\"bool\",\"name\":\"success\",\"type\":\"bool\"},{\"internalType\":\"bytes\",\"name\":\"returnData\",\"type\":\"bytes\"}],\"internalType\":\"structMultiRead.Result[]\",\"name\":\"results\",\"type\":\"tuple[]\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getBlockNumber\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"addr\",\"type\":\"address\"}],\"name\":\"getEthBalance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "d70fd1731d64d03f001a6be455dd019c33",
	Bin: "0x6080604052348015600e575f5ffd5b5061046c8061001c5f395ff3fe608060405260043610610033575f3560e01c806342cbb15c146100375780634d2301cc1461005857806382ad56cb1461007f575b5f5ffd5b348015610042575f5ffd5b50435b6040519081526020015b60405180910390f35b348015610063575f5ffd5b50610045610072366004610275565b6001600160a01b03163190565b61009261008d3660046102a2565b61009f565b60405161004f9190610313565b60608167ffffffffffffffff8111156100ba576100ba6103ae565b6040519080825280602002602001820160405280156100ff57816020015b604080518082019091525f8152606060208201528152602001906001900390816100d85790505b5090505f5b8281101561026e575f5f858584818110610120576101206103c2565b905060200281019061013291906103d6565b610140906020810190610275565b6001600160a01b031686868581811061015b5761015b6103c2565b905060200281019061016d91906103d6565b61017b9060408101906103f4565b60405161018992919061043e565b5f60405180830381855afa9150503d805f81146101c1576040519150601f19603f3d011682016040523d82523d5f602084013e6101c6565b606091505b50915091508115801561020b57508585848181106101e6576101e66103c2565b90506020028101906101f891906103d6565b61020990604081019060200161044d565b155b15610230576040516307f3476960e31b81526004810184905260240160405180910390fd5b6040518060400160405280831515815260200182815250848481518110610259576102596103c2565b60209081029190910101525050600101610104565b5092915050565b5f60208284031215610285575f5ffd5b81356001600160a01b038116811461029b575f5ffd5b9392505050565b5f5f602083850312156102b3575f5ffd5b823567ffffffffffffffff8111156102c9575f5ffd5b8301601f810185136102d9575f5ffd5b803567ffffffffffffffff8111156102ef575f5ffd5b8560208260051b8401011115610303575f5ffd5b6020919091019590945092505050565b5f602082016020835280845180835260408501915060408160051b8601019250602086015f5b828110156103a257603f198786030184528151805115158652602081015190506040602087015280518060408801528060208301606089015e5f606082890101526060601f19601f83011688010196505050602082019150602084019350600181019050610339565b50929695505050505050565b634e487b7160e01b5f52604160045260245ffd5b634e487b7160e01b5f52603260045260245ffd5b5f8235605e198336030181126103ea575f5ffd5b9190910192915050565b5f5f8335601e19843603018112610409575f5ffd5b83018035915067ffffffffffffffff821115610423575f5ffd5b602001915036819003821315610437575f5ffd5b9250929050565b818382375f9101908152919050565b5f6020828403121561045d575f5ffd5b8135801515811461029b575f5ffd",
}

// MultiRead is an auto generated Go binding around an Ethereum contract.
type MultiRead struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *MultiRead) GetABI() abi.ABI {
	return c.abi
}

// NewMultiRead creates a new instance of MultiRead.
func NewMultiRead() *MultiRead {
	parsed, err := MultiReadMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &MultiRead{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *MultiRead) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAggregate3 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82ad56cb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function aggregate3((address,bool,bytes)[] calls) payable returns((bool,bytes)[] results)
func (multiRead *MultiRead) PackAggregate3(calls []MultiReadCall3) []byte {
	enc, err := multiRead.abi.Pack("aggregate3", calls)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAggregate3 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82ad56cb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function aggregate3((address,bool,bytes)[] calls) payable returns((bool,bytes)[] results)
func (multiRead *MultiRead) TryPackAggregate3(calls []MultiReadCall3) ([]byte, error) {
	return multiRead.abi.Pack("aggregate3", calls)
}

// UnpackAggregate3 is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x82ad56cb.
//
// Solidity: function aggregate3((address,bool,bytes)[] calls) payable returns((bool,bytes)[] results)
func (multiRead *MultiRead) UnpackAggregate3(data []byte) ([]MultiReadResult, error) {
	out, err := multiRead.abi.Unpack("aggregate3", data)
	if err != nil {
		return *new([]MultiReadResult), err
	}
	out0 := *abi.ConvertType(out[0], new([]MultiReadResult)).(*[]MultiReadResult)
	return out0, nil
}

// PackGetBlockNumber is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cbb15c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getBlockNumber() view returns(uint256)
func (multiRead *MultiRead) PackGetBlockNumber() []byte {
	enc, err := multiRead.abi.Pack("getBlockNumber")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetBlockNumber is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cbb15c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getBlockNumber() view returns(uint256)
func (multiRead *MultiRead) TryPackGetBlockNumber() ([]byte, error) {
	return multiRead.abi.Pack("getBlockNumber")
}

// UnpackGetBlockNumber is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42cbb15c.
//
// Solidity: function getBlockNumber() view returns(uint256)
func (multiRead *MultiRead) UnpackGetBlockNumber(data []byte) (*big.Int, error) {
	out, err := multiRead.abi.Unpack("getBlockNumber", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetEthBalance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d2301cc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getEthBalance(address addr) view returns(uint256)
func (multiRead *MultiRead) PackGetEthBalance(addr common.Address) []byte {
	enc, err := multiRead.abi.Pack("getEthBalance", addr)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetEthBalance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d2301cc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getEthBalance(address addr) view returns(uint256)
func (multiRead *MultiRead) TryPackGetEthBalance(addr common.Address) ([]byte, error) {
	return multiRead.abi.Pack("getEthBalance", addr)
}

// UnpackGetEthBalance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4d2301cc.
//
// Solidity: function getEthBalance(address addr) view returns(uint256)
func (multiRead *MultiRead) UnpackGetEthBalance(data []byte) (*big.Int, error) {
	out, err := multiRead.abi.Unpack("getEthBalance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (multiRead *MultiRead) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], multiRead.abi.Errors["CallFailed"].ID.Bytes()[:4]) {
		return multiRead.UnpackCallFailedError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// MultiReadCallFailed represents a CallFailed error raised by the MultiRead contract.
type MultiReadCallFailed struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CallFailed(uint256 index)
func MultiReadCallFailedErrorID() common.Hash {
	return common.HexToHash("0x3f9a3b4834f3a32983525944d85513cafd925b9639e796635a016b8faca54556")
}

// UnpackCallFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CallFailed(uint256 index)
func (multiRead *MultiRead) UnpackCallFailedError(raw []byte) (*MultiReadCallFailed, error) {
	out := new(MultiReadCallFailed)
	if err := multiRead.abi.UnpackIntoInterface(out, "CallFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueMetaData contains all meta data concerning the PerpVenue contract.
var PerpVenueMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"collateral_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"equity\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"required\",\"type\":\"int256\"}],\"name\":\"InsufficientMargin\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"answer\",\"type\":\"int256\"}],\"name\":\"InvalidPrice\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"}],\"name\":\"MarketIsPaused\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPosition\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"equity\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"maintenance\",\"type\":\"int256\"}],\"name\":\"NotLiquidatable\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"size\",\"type\":\"int256\"}],\"name\":\"PositionOpen\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"fillPrice\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"acceptablePrice\",\"type\":\"uint256\"}],\"name\":\"SlippageExceeded\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"}],\"name\":\"UnknownMarket\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"fundingIndex\",\"type\":\"int256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"fundingRate\",\"type\":\"int256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"}],\"name\":\"FundingAccrued\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"amount\",\"type\":\"int256\"}],\"name\":\"FundingSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"suspended\",\"type\":\"bool\"}],\"name\":\"FundingSuspended\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"MarginDeposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"MarginWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"symbol\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"feed\",\"type\":\"address\"}],\"name\":\"MarketAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"maxLeverage\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maintenanceMargin\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"takerFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"skewScale\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fundingCoeff\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFundingRate\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"liquidationReward\",\"type\":\"uint256\"}],\"indexed\":false,\"internalType\":\"structPerpVenue.MarketParams\",\"name\":\"params\",\"type\":\"tuple\"}],\"name\":\"MarketParamsUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"paused\",\"type\":\"bool\"}],\"name\":\"MarketPaused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"liquidator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"size\",\"type\":\"int256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"}],\"name\":\"PositionLiquidated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"marketId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"sizeDelta\",\"type\":\"int256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"fillPrice\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"newSize\",\"type\":\"int256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"entryPrice\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"fee\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"int256\",\"name\":\"realizedPnl\",\"type\":\"int256\"}],\"name\":\"PositionModified\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"accrueFunding\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"symbol\",\"type\":\"string\"},{\"internalType\":\"contractAggregatorV3Interface\",\"name\":\"feed\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"maxLeverage\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maintenanceMargin\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"takerFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"skewScale\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fundingCoeff\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFundingRate\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"liquidationReward\",\"type\":\"uint256\"}],\"internalType\":\"structPerpVenue.MarketParams\",\"name\":\"params\",\"type\":\"tuple\"}],\"name\":\"addMarket\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"collateral\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"collateralScale\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feePool\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"sizeDelta\",\"type\":\"int256\"}],\"name\":\"fillPrice\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getMarket\",\"outputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"symbol\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"feed\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"indexPrice\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"markPrice\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"skew\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"oiLong\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"oiShort\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"fundingRate\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"fundingIndex\",\"type\":\"int256\"},{\"internalType\":\"uint64\",\"name\":\"lastFundingTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"paused\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"fundingSuspended\",\"type\":\"bool\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"maxLeverage\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maintenanceMargin\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"takerFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"skewScale\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fundingCoeff\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFundingRate\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"liquidationReward\",\"type\":\"uint256\"}],\"internalType\":\"structPerpVenue.MarketParams\",\"name\":\"params\",\"type\":\"tuple\"}],\"internalType\":\"structPerpVenue.MarketView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getMarkets\",\"outputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"symbol\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"feed\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"indexPrice\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"markPrice\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"skew\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"oiLong\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"oiShort\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"fundingRate\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"fundingIndex\",\"type\":\"int256\"},{\"internalType\":\"uint64\",\"name\":\"lastFundingTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"paused\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"fundingSuspended\",\"type\":\"bool\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"maxLeverage\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maintenanceMargin\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"takerFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"skewScale\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fundingCoeff\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFundingRate\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"liquidationReward\",\"type\":\"uint256\"}],\"internalType\":\"structPerpVenue.MarketParams\",\"name\":\"params\",\"type\":\"tuple\"}],\"internalType\":\"structPerpVenue.MarketView[]\",\"name\":\"all\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getPosition\",\"outputs\":[{\"components\":[{\"internalType\":\"int256\",\"name\":\"size\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"entryPrice\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"margin\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"accruedFunding\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"unrealizedPnl\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"equity\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"notional\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"liquidatable\",\"type\":\"bool\"}],\"internalType\":\"structPerpVenue.PositionView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"liquidate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"marketCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"int256\",\"name\":\"sizeDelta\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"acceptablePrice\",\"type\":\"uint256\"}],\"name\":\"modifyPosition\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"suspended\",\"type\":\"bool\"}],\"name\":\"setFundingSuspended\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"maxLeverage\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maintenanceMargin\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"takerFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"skewScale\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fundingCoeff\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFundingRate\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"liquidationReward\",\"type\":\"uint256\"}],\"internalType\":\"structPerpVenue.MarketParams\",\"name\":\"params\",\"type\":\"tuple\"}],\"name\":\"setMarketParams\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"paused\",\"type\":\"bool\"}],\"name\":\"setPaused\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"withdrawAll\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "08955fa42b1a48c3fbc2912e11838a0261",
	Bin: "0x60c060405234801561000f575f5ffd5b50604051612d75380380612d7583398101604081905261002e9161012e565b806001600160a01b03166080816001600160a01b0316815250505f816001600160a01b031663313ce5676040518163ffffffff1660e01b8152600401602060405180830381865afa158015610085573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906100a9919061015b565b905060128160ff1611156100d057604051635435b28960e11b815260040160405180910390fd5b6100db81601261018f565b6100e690600a610291565b60a0525f80546001600160a01b0319163390811782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a3505061029f565b5f6020828403121561013e575f5ffd5b81516001600160a01b0381168114610154575f5ffd5b9392505050565b5f6020828403121561016b575f5ffd5b815160ff81168114610154575f5ffd5b634e487b7160e01b5f52601160045260245ffd5b60ff82811682821603908111156101a8576101a861017b565b92915050565b6001815b60018411156101e9578085048111156101cd576101cd61017b565b60018416156101db57908102905b60019390931c9280026101b2565b935093915050565b5f826101ff575060016101a8565b8161020b57505f6101a8565b8160018114610221576002811461022b57610247565b60019150506101a8565b60ff84111561023c5761023c61017b565b50506001821b6101a8565b5060208310610133831016604e8410600b841016171561026a575081810a6101a8565b6102765f1984846101ae565b805f19048211156102895761028961017b565b029392505050565b5f61015460ff8416836101f1565b60805160a051612a766102ff5f395f818161030901528181610ad501528181610e4601528181610e9b015281816111420152818161116e0152818161119f01526113dc01525f818161029c01528181611ea70152611f5b0152612a765ff3fe608060405234801561000f575f5ffd5b5060043610610127575f3560e01c8063bcbaf487116100a9578063eb44fdd31161006e578063eb44fdd3146102e4578063ec0bdcfc14610304578063ec2c90161461032b578063ec97908214610340578063f2fde38b14610348575f5ffd5b8063bcbaf48714610271578063c20dc2e214610284578063d8dfeb4514610297578063daff97b5146102be578063e2bbb158146102d1575f5ffd5b806374663d93116100ef57806374663d93146101f75780638da5cb5b14610218578063958e2d3114610242578063a572c3e814610255578063ae2e933b14610268575f5ffd5b80631d43a4b81461012b57806326b51f01146101405780633adbb5af146101535780633efbd560146101d1578063441a3e70146101e4575b5f5ffd5b61013e6101393660046121e7565b61035b565b005b61013e61014e366004612220565b610432565b610166610161366004612262565b6104fa565b6040516101c891905f61010082019050825182526020830151602083015260408301516040830152606083015160608301526080830151608083015260a083015160a083015260c083015160c083015260e0830151151560e083015292915050565b60405180910390f35b61013e6101df36600461228c565b61071a565b61013e6101f23660046122b5565b610a5a565b61020a6102053660046122d5565b610c67565b6040519081526020016101c8565b5f5461022a906001600160a01b031681565b6040516001600160a01b0390911681526020016101c8565b61020a610250366004612365565b610db8565b61013e610263366004612365565b610f32565b61020a60015481565b61013e61027f366004612262565b610f66565b61020a6102923660046122b5565b61128c565b61022a7f000000000000000000000000000000000000000000000000000000000000000081565b61013e6102cc366004612220565b6112c7565b61013e6102df3660046122b5565b611386565b6102f76102f2366004612365565b61146e565b6040516101c891906124d6565b61020a7f000000000000000000000000000000000000000000000000000000000000000081565b61033361167a565b6040516101c891906124e8565b60025461020a565b61013e61035636600461254b565b611712565b5f546001600160a01b03163314610385576040516330cd747160e01b815260040160405180910390fd5b600254829081106103b1576040516369616b8760e01b8152600481018290526024015b60405180910390fd5b6103ba82611795565b6103c383611821565b81600284815481106103d7576103d7612566565b905f5260205f2090600e020160020181816103f2919061257a565b905050827fd533f596b94cac1dd480ec93e8e115beb6a816f3d5660b17008e0c4e24627a2a8360405161042591906125be565b60405180910390a2505050565b5f546001600160a01b0316331461045c576040516330cd747160e01b815260040160405180910390fd5b60025482908110610483576040516369616b8760e01b8152600481018290526024016103a8565b61048c83611821565b81600284815481106104a0576104a0612566565b905f5260205f2090600e0201600d0160096101000a81548160ff021916908315150217905550827fd142ccfc47f9f8d614c9676f3d2e8b8229d75258461e863cd2914a72cc4a996e83604051610425911515815260200190565b61053c6040518061010001604052805f81526020015f81526020015f81526020015f81526020015f81526020015f81526020015f81526020015f151581525090565b60025482908110610563576040516369616b8760e01b8152600481018290526024016103a8565b5f6002848154811061057757610577612566565b5f91825260208083206001600160a01b0389168452600382526040808520898652835280852080548952600181015493890193909352600283015490880152600e9092029091019250906105ca836118f5565b825490915015806105d9575080155b156105ee57506002015460a084015250610713565b670de0b6b3a764000082600301546106068584611a1f565b610610919061261b565b835461061b9061263a565b6106259190612654565b61062f9190612697565b6060860152600983015460058401545f9161064c91849190611a93565b90506106848361067f846002875f01546106669190612697565b8860090154610675919061261b565b6005890154611a93565b611b0a565b608087018190526060870151604088015161069f91906126c3565b6106a991906126c3565b60a08701528254670de0b6b3a76400009082906106c590611b4a565b6106cf91906126ea565b6106d99190612701565b60c087018190526003850154670de0b6b3a7640000916106f991906126ea565b6107039190612701565b60a08701511260e0870152505050505b5092915050565b60025483908110610741576040516369616b8760e01b8152600481018290526024016103a8565b825f0361076157604051631f2a200560e01b815260040160405180910390fd5b5f6002858154811061077557610775612566565b905f5260205f2090600e0201905080600d0160089054906101000a900460ff16156107b657604051636ba2815f60e11b8152600481018690526024016103a8565b6107bf85611821565b335f8181526003602090815260408083208984529091529020906107e4908783611b61565b5f6107ef8787611c37565b90505f861361080057848110610804565b8481115b1561082c576040516371c4efed60e01b815260048101829052602481018690526044016103a8565b81545f61083988836126c3565b90505f821580159061085057505f808413908a1314155b156108b1575f61085f84611b4a565b6108688b611b4a565b101561087c576108778a61263a565b61087e565b835b9050670de0b6b3a7640000866001015486610899919061261b565b6108a39083612654565b6108ad9190612697565b9150505b815f036108c3575f600186015561094d565b8215806108d557505f80841390831314155b156108e6576001850184905561094d565b6108ef83611b4a565b6108f883611b4a565b111561094d5761090782611b4a565b846109118b611b4a565b61091b91906126ea565b866001015461092986611b4a565b61093391906126ea565b61093d9190612714565b6109479190612701565b60018601555b5f670de0b6b3a76400008760020160020154670de0b6b3a7640000876109728e611b4a565b61097c91906126ea565b6109869190612701565b61099091906126ea565b61099a9190612701565b90506109a6818361261b565b866002015f8282546109b891906126c3565b925050819055508060015f8282546109d09190612714565b909155506109e19050878585611c8a565b8286556109ef8b8786611d3e565b6001860154604080518c81526020810188905280820186905260608101929092526080820183905260a08201849052518c9133917f6dadc196699ba51bffe5e94b2be7c057b76e842e61aaa56a488d00e943c6f9a09181900360c00190a35050505050505050505050565b60025482908110610a81576040516369616b8760e01b8152600481018290526024016103a8565b815f03610aa157604051631f2a200560e01b815260040160405180910390fd5b610aaa83611821565b335f818152600360209081526040808320878452909152902090610acf908583611b61565b5f610afa7f0000000000000000000000000000000000000000000000000000000000000000856126ea565b90508082600201541215610b315760028201546040516322128d0760e21b81526004810191909152602481018290526044016103a8565b80826002015f828254610b44919061261b565b9091555050815415610c1f575f610b5b865f611c37565b90505f610b788461067f89875f0154610b739061263a565b611c37565b8460020154610b8791906126c3565b90505f60028881548110610b9d57610b9d612566565b905f5260205f2090600e02016002015f0154670de0b6b3a76400008085610bc6895f0154611b4a565b610bd091906126ea565b610bda9190612701565b610be491906126ea565b610bee9190612701565b905080821215610c1b576040516322128d0760e21b815260048101839052602481018290526044016103a8565b5050505b610c293385611e81565b604051848152859033907fe060c738c5d5e3a2db77ee5320049bd3ed5bff3286b3d42a7ea1577fe19c476e9060200160405180910390a35050505050565b5f80546001600160a01b03163314610c92576040516330cd747160e01b815260040160405180910390fd5b610c9b82611795565b50600280546001810182555f91909152600e81027f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace0180610cdd8688836127b8565b506001810180546001600160a01b0319166001600160a01b0386161790558260028201610d0a828261257a565b5050600d8101805467ffffffffffffffff19164267ffffffffffffffff16179055670de0b6b3a7640000600c82015560405182907fa1844431fd1a914fc0a8a0dfb04637dada2c2b1c39f30f4000dca1828e7f73a890610d6f90899089908990612872565b60405180910390a2817fd533f596b94cac1dd480ec93e8e115beb6a816f3d5660b17008e0c4e24627a2a84604051610da791906125be565b60405180910390a250949350505050565b6002545f9082908110610de1576040516369616b8760e01b8152600481018290526024016103a8565b335f9081526003602090815260408083208684529091529020805415610e205780546040516385b7f0a560e01b815260048101919091526024016103a8565b5f816002015413610e4457604051631f2a200560e01b815260040160405180910390fd5b7f00000000000000000000000000000000000000000000000000000000000000008160020154610e749190612701565b9250825f03610e9657604051631f2a200560e01b815260040160405180910390fd5b610ec07f0000000000000000000000000000000000000000000000000000000000000000846126ea565b8160020154610ecf91906128b2565b60015f828254610edf9190612714565b90915550505f6002820155610ef43384611e81565b604051838152849033907fe060c738c5d5e3a2db77ee5320049bd3ed5bff3286b3d42a7ea1577fe19c476e9060200160405180910390a35050919050565b60025481908110610f59576040516369616b8760e01b8152600481018290526024016103a8565b610f6282611821565b5050565b60025481908110610f8d576040516369616b8760e01b8152600481018290526024016103a8565b5f60028381548110610fa157610fa1612566565b905f5260205f2090600e0201905080600d0160089054906101000a900460ff1615610fe257604051636ba2815f60e11b8152600481018490526024016103a8565b610feb83611821565b6001600160a01b0384165f90815260036020908152604080832086845290915281208054909181900361103157604051632afc3c0d60e21b815260040160405180910390fd5b61103c868684611b61565b5f611047865f611c37565b90505f61105787610b738561263a565b90505f6110648583611b0a565b856002015461107391906126c3565b90505f670de0b6b3a76400008461108987611b4a565b61109391906126ea565b61109d9190612701565b90505f670de0b6b3a76400008860020160010154836110bc91906126ea565b6110c69190612701565b90508083126110f257604051637b41e5a360e01b815260048101849052602481018290526044016103a8565b6110fd88875f611c8a565b60088801545f90670de0b6b3a76400009061111890856126ea565b6111229190612701565b90505f841361113257505f61113d565b8381131561113d5750825b6111677f000000000000000000000000000000000000000000000000000000000000000082612701565b90506111937f0000000000000000000000000000000000000000000000000000000000000000826126ea565b8413156111e4576111c47f0000000000000000000000000000000000000000000000000000000000000000826126ea565b6111ce90856128b2565b60015f8282546111de9190612714565b90915550505b6001600160a01b038c165f9081526003602081815260408084208f85529091528220828155600181018390556002810183905501558015611229576112293382611e81565b6040805133815260208101899052908101869052606081018290528b906001600160a01b038e16907fcaa026853e5c60b09951324633577b1a2211b2d7f4d67611123ff6755c4d613b9060800160405180910390a3505050505050505050505050565b6002545f90839081106112b5576040516369616b8760e01b8152600481018290526024016103a8565b6112bf8484611c37565b949350505050565b5f546001600160a01b031633146112f1576040516330cd747160e01b815260040160405180910390fd5b60025482908110611318576040516369616b8760e01b8152600481018290526024016103a8565b816002848154811061132c5761132c612566565b905f5260205f2090600e0201600d0160086101000a81548160ff021916908315150217905550827fea0b9904118e5ccd7fb0899ac0977af5ba4dd576bea7a8218e86ae96925ebd8a83604051610425911515815260200190565b600254829081106113ad576040516369616b8760e01b8152600481018290526024016103a8565b815f036113cd57604051631f2a200560e01b815260040160405180910390fd5b6113d73383611f2f565b6114017f0000000000000000000000000000000000000000000000000000000000000000836126ea565b335f9081526003602090815260408083208784529091528120600201805490919061142d9084906126c3565b9091555050604051828152839033907fee5801f75c4ef09df299ebf9110e8bac3989e03dd9119213ff6f6f2c8b5ec0149060200160405180910390a3505050565b611476612121565b6002548290811061149d576040516369616b8760e01b8152600481018290526024016103a8565b5f600284815481106114b1576114b1612566565b5f9182526020909120858552600e90910201805490915081906114d39061273b565b80601f01602080910402602001604051908101604052809291908181526020018280546114ff9061273b565b801561154a5780601f106115215761010080835404028352916020019161154a565b820191905f5260205f20905b81548152906001019060200180831161152d57829003601f168201915b5050505050602084015260018101546001600160a01b03166040840152611570816118f5565b606084018190521561159c57611596836060015182600901548360020160030154611a93565b60808401525b600981015460a0840152600a81015460c0840152600b81015460e08401526115c381611f8a565b61010084015260608301516115d9908290611a1f565b610120840152600d81015467ffffffffffffffff811661014085015260ff68010000000000000000820481161515610160860152600160481b9091041615156101808401526040805160e08101825260028301548152600383015460208201526004830154918101919091526005820154606082015260068201546080820152600782015460a082015260089091015460c08201526101a083015250919050565b60025460609067ffffffffffffffff81111561169857611698612727565b6040519080825280602002602001820160405280156116d157816020015b6116be612121565b8152602001906001900390816116b65790505b5090505f5b60025481101561170e576116e98161146e565b8282815181106116fb576116fb612566565b60209081029190910101526001016116d6565b5090565b5f546001600160a01b0316331461173c576040516330cd747160e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b670de0b6b3a7640000813510806117ae57506020810135155b806117c55750670de0b6b3a7640000816020013510155b806117dc5750670de0b6b3a7640000816040013510155b806117e957506060810135155b806118005750670de0b6b3a76400008160c0013510155b1561181e57604051635435b28960e11b815260040160405180910390fd5b50565b5f6002828154811061183557611835612566565b5f9182526020909120600e90910201600d81015490915067ffffffffffffffff164203611860575050565b5f6118738261186e85611ffc565b611a1f565b905081600c015481146118d357600c8201819055827f4ececd88aa4ddad36e3f4fc92f1eff8018044aea0fc72535dd7dbb8d219f8415826118b385611f8a565b604080519283526020830191909152429082015260600160405180910390a25b50600d01805467ffffffffffffffff19164267ffffffffffffffff1617905550565b5f5f826001015f9054906101000a90046001600160a01b03166001600160a01b031663feaf968c6040518163ffffffff1660e01b815260040160a060405180830381865afa158015611949573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061196d91906128e3565b5050509150505f811361198257505f92915050565b826001015f9054906101000a90046001600160a01b03166001600160a01b031663313ce5676040518163ffffffff1660e01b8152600401602060405180830381865afa1580156119d4573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906119f89190612931565b611a03906012612951565b611a0e90600a612a4d565b611a1890826126ea565b9392505050565b600d8201545f908190611a3c9067ffffffffffffffff16426128b2565b90506201518081670de0b6b3a764000085611a5688611f8a565b611a609190612654565b611a6a9190612697565b611a749190612654565b611a7e9190612697565b84600c01546112bf91906126c3565b92915050565b5f8082611aa8670de0b6b3a764000086612654565b611ab29190612697565b90505f670de0b6b3a7640000611ac883826126c3565b611ad29088612654565b611adc9190612697565b90505f8113611b01576040516338ee04a760e01b8152600481018290526024016103a8565b95945050505050565b81545f908103611b1b57505f611a8d565b670de0b6b3a7640000836001015483611b34919061261b565b8454611b409190612654565b611a189190612697565b5f5f82121561170e57611b5c8261263a565b611a8d565b5f60028381548110611b7557611b75612566565b905f5260205f2090600e0201600c01549050815f01545f14611c2d575f670de0b6b3a7640000836003015483611bab919061261b565b8454611bb69061263a565b611bc09190612654565b611bca9190612697565b90508015611c2b5780836002015f828254611be591906126c3565b909155505060405181815284906001600160a01b038716907f7bffd29b6c9f6904244c86f11e4b5f5c241a6425985e476ab1dfe95d8e1cad199060200160405180910390a35b505b6003909101555050565b5f5f60028481548110611c4c57611c4c612566565b905f5260205f2090600e020190506112bf611c6685611ffc565b611c71600286612697565b8360090154611c8091906126c3565b6005840154611a93565b611c94828261261b565b836009015f828254611ca691906126c3565b90915550505f821315611cd1578183600a015f828254611cc691906128b2565b90915550611cf29050565b611cda8261263a565b83600b015f828254611cec91906128b2565b90915550505b5f811315611d18578083600a015f828254611d0d9190612714565b90915550611d399050565b611d218161263a565b83600b015f828254611d339190612714565b90915550505b505050565b81545f819003611d82575f83600201541215611d7c5760028301546040516322128d0760e21b815260048101919091525f60248201526044016103a8565b50505050565b5f611d8c83611b4a565b611d9583611b4a565b1180611db057508215801590611db057505f80841390831314155b90505f611dc48561067f88610b738761263a565b8560020154611dd391906126c3565b90505f82611de1575f611e4b565b60028781548110611df457611df4612566565b905f5260205f2090600e02016002015f0154670de0b6b3a764000080611e1a8a5f611c37565b611e2388611b4a565b611e2d91906126ea565b611e379190612701565b611e4191906126ea565b611e4b9190612701565b905080821215611e78576040516322128d0760e21b815260048101839052602481018290526044016103a8565b50505050505050565b60405163a9059cbb60e01b81526001600160a01b038381166004830152602482018390527f0000000000000000000000000000000000000000000000000000000000000000169063a9059cbb906044015b6020604051808303815f875af1158015611eee573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611f129190612a5b565b610f62576040516312171d8360e31b815260040160405180910390fd5b6040516323b872dd60e01b81526001600160a01b038381166004830152306024830152604482018390527f000000000000000000000000000000000000000000000000000000000000000016906323b872dd90606401611ed2565b600d8101545f90600160481b900460ff1615611fa757505f919050565b6005820154600983015460068401545f9291611fc291612654565b611fcc9190612697565b600784015490915080821315611fe3579392505050565b611fec8161263a565b821215610713576112bf8161263a565b5f5f6002838154811061201157612011612566565b905f5260205f2090600e02016001015f9054906101000a90046001600160a01b03166001600160a01b031663feaf968c6040518163ffffffff1660e01b815260040160a060405180830381865afa15801561206e573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061209291906128e3565b5050509150505f81136120bb576040516338ee04a760e01b8152600481018290526024016103a8565b600283815481106120ce576120ce612566565b5f9182526020918290206001600e9092020101546040805163313ce56760e01b815290516001600160a01b039092169263313ce567926004808401938290030181865afa1580156119d4573d5f5f3e3d5ffd5b604051806101c001604052805f8152602001606081526020015f6001600160a01b031681526020015f81526020015f81526020015f81526020015f81526020015f81526020015f81526020015f81526020015f67ffffffffffffffff1681526020015f151581526020015f151581526020016121cc6040518060e001604052805f81526020015f81526020015f81526020015f81526020015f81526020015f81526020015f81525090565b905290565b5f60e082840312156121e1575f5ffd5b50919050565b5f5f61010083850312156121f9575f5ffd5b8235915061220a84602085016121d1565b90509250929050565b801515811461181e575f5ffd5b5f5f60408385031215612231575f5ffd5b82359150602083013561224381612213565b809150509250929050565b6001600160a01b038116811461181e575f5ffd5b5f5f60408385031215612273575f5ffd5b823561227e8161224e565b946020939093013593505050565b5f5f5f6060848603121561229e575f5ffd5b505081359360208301359350604090920135919050565b5f5f604083850312156122c6575f5ffd5b50508035926020909101359150565b5f5f5f5f61012085870312156122e9575f5ffd5b843567ffffffffffffffff8111156122ff575f5ffd5b8501601f8101871361230f575f5ffd5b803567ffffffffffffffff811115612325575f5ffd5b876020828401011115612336575f5ffd5b60209182019550935085013561234b8161224e565b915061235a86604087016121d1565b905092959194509250565b5f60208284031215612375575f5ffd5b5035919050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b805182525f602082015161028060208501526123ca61028085018261237c565b905060408301516123e660408601826001600160a01b03169052565b50606083015160608501526080830151608085015260a083015160a085015260c083015160c085015260e083015160e085015261010083015161010085015261012083015161012085015261014083015161244e61014086018267ffffffffffffffff169052565b5061016083015161246461016086018215159052565b5061018083015161247a61018086018215159052565b506101a08301516124ce6101a0860182805182526020810151602083015260408101516040830152606081015160608301526080810151608083015260a081015160a083015260c081015160c08301525050565b509392505050565b602081525f611a1860208301846123aa565b5f602082016020835280845180835260408501915060408160051b8601019250602086015f5b8281101561253f57603f1987860301845261252a8583516123aa565b9450602093840193919091019060010161250e565b50929695505050505050565b5f6020828403121561255b575f5ffd5b8135611a188161224e565b634e487b7160e01b5f52603260045260245ffd5b813581556020820135600182015560408201356002820155606082013560038201556080820135600482015560a0820135600582015560c090910135600690910155565b813581526020808301359082015260408083013590820152606080830135908201526080808301359082015260a0808301359082015260c0918201359181019190915260e00190565b634e487b7160e01b5f52601160045260245ffd5b8181035f83128015838313168383128216171561071357610713612607565b5f600160ff1b820161264e5761264e612607565b505f0390565b8082025f8212600160ff1b8414161561266f5761266f612607565b8181058314821517611a8d57611a8d612607565b634e487b7160e01b5f52601260045260245ffd5b5f826126a5576126a5612683565b600160ff1b82145f19841416156126be576126be612607565b500590565b8082018281125f8312801582168215821617156126e2576126e2612607565b505092915050565b8082028115828204841417611a8d57611a8d612607565b5f8261270f5761270f612683565b500490565b80820180821115611a8d57611a8d612607565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061274f57607f821691505b6020821081036121e157634e487b7160e01b5f52602260045260245ffd5b601f821115611d3957805f5260205f20601f840160051c810160208510156127925750805b601f840160051c820191505b818110156127b1575f815560010161279e565b5050505050565b67ffffffffffffffff8311156127d0576127d0612727565b6127e4836127de835461273b565b8361276d565b5f601f841160018114612815575f85156127fe5750838201355b5f19600387901b1c1916600186901b1783556127b1565b5f83815260208120601f198716915b828110156128445786850135825560209485019460019092019101612824565b5086821015612860575f1960f88860031b161c19848701351681555b505060018560011b0183555050505050565b60408152826040820152828460608301375f60608483018101919091526001600160a01b03929092166020820152601f909201601f191690910101919050565b81810381811115611a8d57611a8d612607565b805169ffffffffffffffffffff811681146128de575f5ffd5b919050565b5f5f5f5f5f60a086880312156128f7575f5ffd5b612900866128c5565b60208701516040880151606089015192975090955093509150612925608087016128c5565b90509295509295909350565b5f60208284031215612941575f5ffd5b815160ff81168114611a18575f5ffd5b60ff8281168282160390811115611a8d57611a8d612607565b6001815b60018411156129a55780850481111561298957612989612607565b600184161561299757908102905b60019390931c92800261296e565b935093915050565b5f826129bb57506001611a8d565b816129c757505f611a8d565b81600181146129dd57600281146129e757612a03565b6001915050611a8d565b60ff8411156129f8576129f8612607565b50506001821b611a8d565b5060208310610133831016604e8410600b8410161715612a26575081810a611a8d565b612a325f19848461296a565b805f1904821115612a4557612a45612607565b029392505050565b5f611a1860ff8416836129ad565b5f60208284031215612a6b575f5ffd5b8151611a188161221356",
}

// PerpVenue is an auto generated Go binding around an Ethereum contract.
type PerpVenue struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *PerpVenue) GetABI() abi.ABI {
	return c.abi
}

// NewPerpVenue creates a new instance of PerpVenue.
func NewPerpVenue() *PerpVenue {
	parsed, err := PerpVenueMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &PerpVenue{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *PerpVenue) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address collateral_) returns()
func (perpVenue *PerpVenue) PackConstructor(collateral_ common.Address) []byte {
	enc, err := perpVenue.abi.Pack("", collateral_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAccrueFunding is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa572c3e8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accrueFunding(uint256 id) returns()
func (perpVenue *PerpVenue) PackAccrueFunding(id *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("accrueFunding", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccrueFunding is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa572c3e8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accrueFunding(uint256 id) returns()
func (perpVenue *PerpVenue) TryPackAccrueFunding(id *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("accrueFunding", id)
}

// PackAddMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74663d93.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addMarket(string symbol, address feed, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params) returns(uint256 id)
func (perpVenue *PerpVenue) PackAddMarket(symbol string, feed common.Address, params PerpVenueMarketParams) []byte {
	enc, err := perpVenue.abi.Pack("addMarket", symbol, feed, params)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74663d93.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addMarket(string symbol, address feed, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params) returns(uint256 id)
func (perpVenue *PerpVenue) TryPackAddMarket(symbol string, feed common.Address, params PerpVenueMarketParams) ([]byte, error) {
	return perpVenue.abi.Pack("addMarket", symbol, feed, params)
}

// UnpackAddMarket is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x74663d93.
//
// Solidity: function addMarket(string symbol, address feed, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params) returns(uint256 id)
func (perpVenue *PerpVenue) UnpackAddMarket(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("addMarket", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCollateral is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd8dfeb45.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function collateral() view returns(address)
func (perpVenue *PerpVenue) PackCollateral() []byte {
	enc, err := perpVenue.abi.Pack("collateral")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCollateral is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd8dfeb45.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function collateral() view returns(address)
func (perpVenue *PerpVenue) TryPackCollateral() ([]byte, error) {
	return perpVenue.abi.Pack("collateral")
}

// UnpackCollateral is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd8dfeb45.
//
// Solidity: function collateral() view returns(address)
func (perpVenue *PerpVenue) UnpackCollateral(data []byte) (common.Address, error) {
	out, err := perpVenue.abi.Unpack("collateral", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackCollateralScale is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec0bdcfc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function collateralScale() view returns(uint256)
func (perpVenue *PerpVenue) PackCollateralScale() []byte {
	enc, err := perpVenue.abi.Pack("collateralScale")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCollateralScale is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec0bdcfc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function collateralScale() view returns(uint256)
func (perpVenue *PerpVenue) TryPackCollateralScale() ([]byte, error) {
	return perpVenue.abi.Pack("collateralScale")
}

// UnpackCollateralScale is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xec0bdcfc.
//
// Solidity: function collateralScale() view returns(uint256)
func (perpVenue *PerpVenue) UnpackCollateralScale(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("collateralScale", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bbb158.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 id, uint256 amount) returns()
func (perpVenue *PerpVenue) PackDeposit(id *big.Int, amount *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("deposit", id, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bbb158.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 id, uint256 amount) returns()
func (perpVenue *PerpVenue) TryPackDeposit(id *big.Int, amount *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("deposit", id, amount)
}

// PackFeePool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xae2e933b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function feePool() view returns(uint256)
func (perpVenue *PerpVenue) PackFeePool() []byte {
	enc, err := perpVenue.abi.Pack("feePool")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFeePool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xae2e933b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function feePool() view returns(uint256)
func (perpVenue *PerpVenue) TryPackFeePool() ([]byte, error) {
	return perpVenue.abi.Pack("feePool")
}

// UnpackFeePool is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xae2e933b.
//
// Solidity: function feePool() view returns(uint256)
func (perpVenue *PerpVenue) UnpackFeePool(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("feePool", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackFillPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc20dc2e2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fillPrice(uint256 id, int256 sizeDelta) view returns(uint256)
func (perpVenue *PerpVenue) PackFillPrice(id *big.Int, sizeDelta *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("fillPrice", id, sizeDelta)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFillPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc20dc2e2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fillPrice(uint256 id, int256 sizeDelta) view returns(uint256)
func (perpVenue *PerpVenue) TryPackFillPrice(id *big.Int, sizeDelta *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("fillPrice", id, sizeDelta)
}

// UnpackFillPrice is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc20dc2e2.
//
// Solidity: function fillPrice(uint256 id, int256 sizeDelta) view returns(uint256)
func (perpVenue *PerpVenue) UnpackFillPrice(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("fillPrice", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb44fdd3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getMarket(uint256 id) view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256)) v)
func (perpVenue *PerpVenue) PackGetMarket(id *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("getMarket", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb44fdd3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getMarket(uint256 id) view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256)) v)
func (perpVenue *PerpVenue) TryPackGetMarket(id *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("getMarket", id)
}

// UnpackGetMarket is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeb44fdd3.
//
// Solidity: function getMarket(uint256 id) view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256)) v)
func (perpVenue *PerpVenue) UnpackGetMarket(data []byte) (PerpVenueMarketView, error) {
	out, err := perpVenue.abi.Unpack("getMarket", data)
	if err != nil {
		return *new(PerpVenueMarketView), err
	}
	out0 := *abi.ConvertType(out[0], new(PerpVenueMarketView)).(*PerpVenueMarketView)
	return out0, nil
}

// PackGetMarkets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec2c9016.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getMarkets() view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256))[] all)
func (perpVenue *PerpVenue) PackGetMarkets() []byte {
	enc, err := perpVenue.abi.Pack("getMarkets")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetMarkets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec2c9016.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getMarkets() view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256))[] all)
func (perpVenue *PerpVenue) TryPackGetMarkets() ([]byte, error) {
	return perpVenue.abi.Pack("getMarkets")
}

// UnpackGetMarkets is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xec2c9016.
//
// Solidity: function getMarkets() view returns((uint256,string,address,uint256,uint256,int256,uint256,uint256,int256,int256,uint64,bool,bool,(uint256,uint256,uint256,uint256,uint256,uint256,uint256))[] all)
func (perpVenue *PerpVenue) UnpackGetMarkets(data []byte) ([]PerpVenueMarketView, error) {
	out, err := perpVenue.abi.Unpack("getMarkets", data)
	if err != nil {
		return *new([]PerpVenueMarketView), err
	}
	out0 := *abi.ConvertType(out[0], new([]PerpVenueMarketView)).(*[]PerpVenueMarketView)
	return out0, nil
}

// PackGetPosition is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3adbb5af.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getPosition(address account, uint256 id) view returns((int256,uint256,int256,int256,int256,int256,uint256,bool) v)
func (perpVenue *PerpVenue) PackGetPosition(account common.Address, id *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("getPosition", account, id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetPosition is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3adbb5af.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getPosition(address account, uint256 id) view returns((int256,uint256,int256,int256,int256,int256,uint256,bool) v)
func (perpVenue *PerpVenue) TryPackGetPosition(account common.Address, id *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("getPosition", account, id)
}

// UnpackGetPosition is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3adbb5af.
//
// Solidity: function getPosition(address account, uint256 id) view returns((int256,uint256,int256,int256,int256,int256,uint256,bool) v)
func (perpVenue *PerpVenue) UnpackGetPosition(data []byte) (PerpVenuePositionView, error) {
	out, err := perpVenue.abi.Unpack("getPosition", data)
	if err != nil {
		return *new(PerpVenuePositionView), err
	}
	out0 := *abi.ConvertType(out[0], new(PerpVenuePositionView)).(*PerpVenuePositionView)
	return out0, nil
}

// PackLiquidate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbcbaf487.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function liquidate(address account, uint256 id) returns()
func (perpVenue *PerpVenue) PackLiquidate(account common.Address, id *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("liquidate", account, id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLiquidate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbcbaf487.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function liquidate(address account, uint256 id) returns()
func (perpVenue *PerpVenue) TryPackLiquidate(account common.Address, id *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("liquidate", account, id)
}

// PackMarketCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec979082.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function marketCount() view returns(uint256)
func (perpVenue *PerpVenue) PackMarketCount() []byte {
	enc, err := perpVenue.abi.Pack("marketCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMarketCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec979082.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function marketCount() view returns(uint256)
func (perpVenue *PerpVenue) TryPackMarketCount() ([]byte, error) {
	return perpVenue.abi.Pack("marketCount")
}

// UnpackMarketCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xec979082.
//
// Solidity: function marketCount() view returns(uint256)
func (perpVenue *PerpVenue) UnpackMarketCount(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("marketCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackModifyPosition is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3efbd560.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function modifyPosition(uint256 id, int256 sizeDelta, uint256 acceptablePrice) returns()
func (perpVenue *PerpVenue) PackModifyPosition(id *big.Int, sizeDelta *big.Int, acceptablePrice *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("modifyPosition", id, sizeDelta, acceptablePrice)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackModifyPosition is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3efbd560.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function modifyPosition(uint256 id, int256 sizeDelta, uint256 acceptablePrice) returns()
func (perpVenue *PerpVenue) TryPackModifyPosition(id *big.Int, sizeDelta *big.Int, acceptablePrice *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("modifyPosition", id, sizeDelta, acceptablePrice)
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (perpVenue *PerpVenue) PackOwner() []byte {
	enc, err := perpVenue.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (perpVenue *PerpVenue) TryPackOwner() ([]byte, error) {
	return perpVenue.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (perpVenue *PerpVenue) UnpackOwner(data []byte) (common.Address, error) {
	out, err := perpVenue.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetFundingSuspended is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x26b51f01.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setFundingSuspended(uint256 id, bool suspended) returns()
func (perpVenue *PerpVenue) PackSetFundingSuspended(id *big.Int, suspended bool) []byte {
	enc, err := perpVenue.abi.Pack("setFundingSuspended", id, suspended)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetFundingSuspended is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x26b51f01.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setFundingSuspended(uint256 id, bool suspended) returns()
func (perpVenue *PerpVenue) TryPackSetFundingSuspended(id *big.Int, suspended bool) ([]byte, error) {
	return perpVenue.abi.Pack("setFundingSuspended", id, suspended)
}

// PackSetMarketParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d43a4b8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMarketParams(uint256 id, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params) returns()
func (perpVenue *PerpVenue) PackSetMarketParams(id *big.Int, params PerpVenueMarketParams) []byte {
	enc, err := perpVenue.abi.Pack("setMarketParams", id, params)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMarketParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d43a4b8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMarketParams(uint256 id, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params) returns()
func (perpVenue *PerpVenue) TryPackSetMarketParams(id *big.Int, params PerpVenueMarketParams) ([]byte, error) {
	return perpVenue.abi.Pack("setMarketParams", id, params)
}

// PackSetPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdaff97b5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setPaused(uint256 id, bool paused) returns()
func (perpVenue *PerpVenue) PackSetPaused(id *big.Int, paused bool) []byte {
	enc, err := perpVenue.abi.Pack("setPaused", id, paused)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdaff97b5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setPaused(uint256 id, bool paused) returns()
func (perpVenue *PerpVenue) TryPackSetPaused(id *big.Int, paused bool) ([]byte, error) {
	return perpVenue.abi.Pack("setPaused", id, paused)
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (perpVenue *PerpVenue) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := perpVenue.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (perpVenue *PerpVenue) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return perpVenue.abi.Pack("transferOwnership", newOwner)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x441a3e70.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(uint256 id, uint256 amount) returns()
func (perpVenue *PerpVenue) PackWithdraw(id *big.Int, amount *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("withdraw", id, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x441a3e70.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(uint256 id, uint256 amount) returns()
func (perpVenue *PerpVenue) TryPackWithdraw(id *big.Int, amount *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("withdraw", id, amount)
}

// PackWithdrawAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x958e2d31.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawAll(uint256 id) returns(uint256 amount)
func (perpVenue *PerpVenue) PackWithdrawAll(id *big.Int) []byte {
	enc, err := perpVenue.abi.Pack("withdrawAll", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x958e2d31.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawAll(uint256 id) returns(uint256 amount)
func (perpVenue *PerpVenue) TryPackWithdrawAll(id *big.Int) ([]byte, error) {
	return perpVenue.abi.Pack("withdrawAll", id)
}

// UnpackWithdrawAll is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x958e2d31.
//
// Solidity: function withdrawAll(uint256 id) returns(uint256 amount)
func (perpVenue *PerpVenue) UnpackWithdrawAll(data []byte) (*big.Int, error) {
	out, err := perpVenue.abi.Unpack("withdrawAll", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PerpVenueFundingAccrued represents a FundingAccrued event raised by the PerpVenue contract.
type PerpVenueFundingAccrued struct {
	MarketId     *big.Int
	FundingIndex *big.Int
	FundingRate  *big.Int
	Timestamp    *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const PerpVenueFundingAccruedEventName = "FundingAccrued"

// ContractEventName returns the user-defined event name.
func (PerpVenueFundingAccrued) ContractEventName() string {
	return PerpVenueFundingAccruedEventName
}

// UnpackFundingAccruedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FundingAccrued(uint256 indexed marketId, int256 fundingIndex, int256 fundingRate, uint256 timestamp)
func (perpVenue *PerpVenue) UnpackFundingAccruedEvent(log *types.Log) (*PerpVenueFundingAccrued, error) {
	event := "FundingAccrued"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueFundingAccrued)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueFundingSettled represents a FundingSettled event raised by the PerpVenue contract.
type PerpVenueFundingSettled struct {
	Account  common.Address
	MarketId *big.Int
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueFundingSettledEventName = "FundingSettled"

// ContractEventName returns the user-defined event name.
func (PerpVenueFundingSettled) ContractEventName() string {
	return PerpVenueFundingSettledEventName
}

// UnpackFundingSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FundingSettled(address indexed account, uint256 indexed marketId, int256 amount)
func (perpVenue *PerpVenue) UnpackFundingSettledEvent(log *types.Log) (*PerpVenueFundingSettled, error) {
	event := "FundingSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueFundingSettled)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueFundingSuspended represents a FundingSuspended event raised by the PerpVenue contract.
type PerpVenueFundingSuspended struct {
	MarketId  *big.Int
	Suspended bool
	Raw       *types.Log // Blockchain specific contextual infos
}

const PerpVenueFundingSuspendedEventName = "FundingSuspended"

// ContractEventName returns the user-defined event name.
func (PerpVenueFundingSuspended) ContractEventName() string {
	return PerpVenueFundingSuspendedEventName
}

// UnpackFundingSuspendedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FundingSuspended(uint256 indexed marketId, bool suspended)
func (perpVenue *PerpVenue) UnpackFundingSuspendedEvent(log *types.Log) (*PerpVenueFundingSuspended, error) {
	event := "FundingSuspended"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueFundingSuspended)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueMarginDeposited represents a MarginDeposited event raised by the PerpVenue contract.
type PerpVenueMarginDeposited struct {
	Account  common.Address
	MarketId *big.Int
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueMarginDepositedEventName = "MarginDeposited"

// ContractEventName returns the user-defined event name.
func (PerpVenueMarginDeposited) ContractEventName() string {
	return PerpVenueMarginDepositedEventName
}

// UnpackMarginDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarginDeposited(address indexed account, uint256 indexed marketId, uint256 amount)
func (perpVenue *PerpVenue) UnpackMarginDepositedEvent(log *types.Log) (*PerpVenueMarginDeposited, error) {
	event := "MarginDeposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueMarginDeposited)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueMarginWithdrawn represents a MarginWithdrawn event raised by the PerpVenue contract.
type PerpVenueMarginWithdrawn struct {
	Account  common.Address
	MarketId *big.Int
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueMarginWithdrawnEventName = "MarginWithdrawn"

// ContractEventName returns the user-defined event name.
func (PerpVenueMarginWithdrawn) ContractEventName() string {
	return PerpVenueMarginWithdrawnEventName
}

// UnpackMarginWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarginWithdrawn(address indexed account, uint256 indexed marketId, uint256 amount)
func (perpVenue *PerpVenue) UnpackMarginWithdrawnEvent(log *types.Log) (*PerpVenueMarginWithdrawn, error) {
	event := "MarginWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueMarginWithdrawn)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueMarketAdded represents a MarketAdded event raised by the PerpVenue contract.
type PerpVenueMarketAdded struct {
	MarketId *big.Int
	Symbol   string
	Feed     common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueMarketAddedEventName = "MarketAdded"

// ContractEventName returns the user-defined event name.
func (PerpVenueMarketAdded) ContractEventName() string {
	return PerpVenueMarketAddedEventName
}

// UnpackMarketAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarketAdded(uint256 indexed marketId, string symbol, address feed)
func (perpVenue *PerpVenue) UnpackMarketAddedEvent(log *types.Log) (*PerpVenueMarketAdded, error) {
	event := "MarketAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueMarketAdded)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueMarketParamsUpdated represents a MarketParamsUpdated event raised by the PerpVenue contract.
type PerpVenueMarketParamsUpdated struct {
	MarketId *big.Int
	Params   PerpVenueMarketParams
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueMarketParamsUpdatedEventName = "MarketParamsUpdated"

// ContractEventName returns the user-defined event name.
func (PerpVenueMarketParamsUpdated) ContractEventName() string {
	return PerpVenueMarketParamsUpdatedEventName
}

// UnpackMarketParamsUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarketParamsUpdated(uint256 indexed marketId, (uint256,uint256,uint256,uint256,uint256,uint256,uint256) params)
func (perpVenue *PerpVenue) UnpackMarketParamsUpdatedEvent(log *types.Log) (*PerpVenueMarketParamsUpdated, error) {
	event := "MarketParamsUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueMarketParamsUpdated)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueMarketPaused represents a MarketPaused event raised by the PerpVenue contract.
type PerpVenueMarketPaused struct {
	MarketId *big.Int
	Paused   bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const PerpVenueMarketPausedEventName = "MarketPaused"

// ContractEventName returns the user-defined event name.
func (PerpVenueMarketPaused) ContractEventName() string {
	return PerpVenueMarketPausedEventName
}

// UnpackMarketPausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarketPaused(uint256 indexed marketId, bool paused)
func (perpVenue *PerpVenue) UnpackMarketPausedEvent(log *types.Log) (*PerpVenueMarketPaused, error) {
	event := "MarketPaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueMarketPaused)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenueOwnershipTransferred represents a OwnershipTransferred event raised by the PerpVenue contract.
type PerpVenueOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const PerpVenueOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (PerpVenueOwnershipTransferred) ContractEventName() string {
	return PerpVenueOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (perpVenue *PerpVenue) UnpackOwnershipTransferredEvent(log *types.Log) (*PerpVenueOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenueOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenuePositionLiquidated represents a PositionLiquidated event raised by the PerpVenue contract.
type PerpVenuePositionLiquidated struct {
	Account    common.Address
	MarketId   *big.Int
	Liquidator common.Address
	Size       *big.Int
	Price      *big.Int
	Reward     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const PerpVenuePositionLiquidatedEventName = "PositionLiquidated"

// ContractEventName returns the user-defined event name.
func (PerpVenuePositionLiquidated) ContractEventName() string {
	return PerpVenuePositionLiquidatedEventName
}

// UnpackPositionLiquidatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PositionLiquidated(address indexed account, uint256 indexed marketId, address liquidator, int256 size, uint256 price, uint256 reward)
func (perpVenue *PerpVenue) UnpackPositionLiquidatedEvent(log *types.Log) (*PerpVenuePositionLiquidated, error) {
	event := "PositionLiquidated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenuePositionLiquidated)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PerpVenuePositionModified represents a PositionModified event raised by the PerpVenue contract.
type PerpVenuePositionModified struct {
	Account     common.Address
	MarketId    *big.Int
	SizeDelta   *big.Int
	FillPrice   *big.Int
	NewSize     *big.Int
	EntryPrice  *big.Int
	Fee         *big.Int
	RealizedPnl *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const PerpVenuePositionModifiedEventName = "PositionModified"

// ContractEventName returns the user-defined event name.
func (PerpVenuePositionModified) ContractEventName() string {
	return PerpVenuePositionModifiedEventName
}

// UnpackPositionModifiedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PositionModified(address indexed account, uint256 indexed marketId, int256 sizeDelta, uint256 fillPrice, int256 newSize, uint256 entryPrice, uint256 fee, int256 realizedPnl)
func (perpVenue *PerpVenue) UnpackPositionModifiedEvent(log *types.Log) (*PerpVenuePositionModified, error) {
	event := "PositionModified"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != perpVenue.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PerpVenuePositionModified)
	if len(log.Data) > 0 {
		if err := perpVenue.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range perpVenue.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (perpVenue *PerpVenue) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["InsufficientMargin"].ID.Bytes()[:4]) {
		return perpVenue.UnpackInsufficientMarginError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["InvalidParams"].ID.Bytes()[:4]) {
		return perpVenue.UnpackInvalidParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["InvalidPrice"].ID.Bytes()[:4]) {
		return perpVenue.UnpackInvalidPriceError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["MarketIsPaused"].ID.Bytes()[:4]) {
		return perpVenue.UnpackMarketIsPausedError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["NoPosition"].ID.Bytes()[:4]) {
		return perpVenue.UnpackNoPositionError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["NotLiquidatable"].ID.Bytes()[:4]) {
		return perpVenue.UnpackNotLiquidatableError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return perpVenue.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["PositionOpen"].ID.Bytes()[:4]) {
		return perpVenue.UnpackPositionOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["SlippageExceeded"].ID.Bytes()[:4]) {
		return perpVenue.UnpackSlippageExceededError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return perpVenue.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["UnknownMarket"].ID.Bytes()[:4]) {
		return perpVenue.UnpackUnknownMarketError(raw[4:])
	}
	if bytes.Equal(raw[:4], perpVenue.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return perpVenue.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PerpVenueInsufficientMargin represents a InsufficientMargin error raised by the PerpVenue contract.
type PerpVenueInsufficientMargin struct {
	Equity   *big.Int
	Required *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientMargin(int256 equity, int256 required)
func PerpVenueInsufficientMarginErrorID() common.Hash {
	return common.HexToHash("0x884a341cc1099e2efda52b16c9cc21815957dcf92e0415fd9662fa1217cb1b64")
}

// UnpackInsufficientMarginError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientMargin(int256 equity, int256 required)
func (perpVenue *PerpVenue) UnpackInsufficientMarginError(raw []byte) (*PerpVenueInsufficientMargin, error) {
	out := new(PerpVenueInsufficientMargin)
	if err := perpVenue.abi.UnpackIntoInterface(out, "InsufficientMargin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueInvalidParams represents a InvalidParams error raised by the PerpVenue contract.
type PerpVenueInvalidParams struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParams()
func PerpVenueInvalidParamsErrorID() common.Hash {
	return common.HexToHash("0xa86b65120b98ec2b50fcad62782dbb454a5c0604e0cf2db01fd94e5048d895b9")
}

// UnpackInvalidParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParams()
func (perpVenue *PerpVenue) UnpackInvalidParamsError(raw []byte) (*PerpVenueInvalidParams, error) {
	out := new(PerpVenueInvalidParams)
	if err := perpVenue.abi.UnpackIntoInterface(out, "InvalidParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueInvalidPrice represents a InvalidPrice error raised by the PerpVenue contract.
type PerpVenueInvalidPrice struct {
	Answer *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidPrice(int256 answer)
func PerpVenueInvalidPriceErrorID() common.Hash {
	return common.HexToHash("0x38ee04a75873ad84b9be087c0f3e007d689a5f005f7c07c9af6f5c59da7a64d0")
}

// UnpackInvalidPriceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidPrice(int256 answer)
func (perpVenue *PerpVenue) UnpackInvalidPriceError(raw []byte) (*PerpVenueInvalidPrice, error) {
	out := new(PerpVenueInvalidPrice)
	if err := perpVenue.abi.UnpackIntoInterface(out, "InvalidPrice", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueMarketIsPaused represents a MarketIsPaused error raised by the PerpVenue contract.
type PerpVenueMarketIsPaused struct {
	MarketId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MarketIsPaused(uint256 marketId)
func PerpVenueMarketIsPausedErrorID() common.Hash {
	return common.HexToHash("0xd74502bed25982bd0e95fbdfeddcde3ee8c1a229be41bf8b95adfc475c6417b5")
}

// UnpackMarketIsPausedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MarketIsPaused(uint256 marketId)
func (perpVenue *PerpVenue) UnpackMarketIsPausedError(raw []byte) (*PerpVenueMarketIsPaused, error) {
	out := new(PerpVenueMarketIsPaused)
	if err := perpVenue.abi.UnpackIntoInterface(out, "MarketIsPaused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueNoPosition represents a NoPosition error raised by the PerpVenue contract.
type PerpVenueNoPosition struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPosition()
func PerpVenueNoPositionErrorID() common.Hash {
	return common.HexToHash("0xabf0f0348ab3558e5eebc60e75be15992442fd02118ac702450b440f8d749c6d")
}

// UnpackNoPositionError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPosition()
func (perpVenue *PerpVenue) UnpackNoPositionError(raw []byte) (*PerpVenueNoPosition, error) {
	out := new(PerpVenueNoPosition)
	if err := perpVenue.abi.UnpackIntoInterface(out, "NoPosition", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueNotLiquidatable represents a NotLiquidatable error raised by the PerpVenue contract.
type PerpVenueNotLiquidatable struct {
	Equity      *big.Int
	Maintenance *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotLiquidatable(int256 equity, int256 maintenance)
func PerpVenueNotLiquidatableErrorID() common.Hash {
	return common.HexToHash("0x7b41e5a3f4514c42fe784938b13fe60c7a49acbf1022fb8321706ed93d123f83")
}

// UnpackNotLiquidatableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotLiquidatable(int256 equity, int256 maintenance)
func (perpVenue *PerpVenue) UnpackNotLiquidatableError(raw []byte) (*PerpVenueNotLiquidatable, error) {
	out := new(PerpVenueNotLiquidatable)
	if err := perpVenue.abi.UnpackIntoInterface(out, "NotLiquidatable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueNotOwner represents a NotOwner error raised by the PerpVenue contract.
type PerpVenueNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func PerpVenueNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (perpVenue *PerpVenue) UnpackNotOwnerError(raw []byte) (*PerpVenueNotOwner, error) {
	out := new(PerpVenueNotOwner)
	if err := perpVenue.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenuePositionOpen represents a PositionOpen error raised by the PerpVenue contract.
type PerpVenuePositionOpen struct {
	Size *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PositionOpen(int256 size)
func PerpVenuePositionOpenErrorID() common.Hash {
	return common.HexToHash("0x85b7f0a546f143a2a04e46155befd0609d7b31d09e6ce299010fbc81954e54c4")
}

// UnpackPositionOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PositionOpen(int256 size)
func (perpVenue *PerpVenue) UnpackPositionOpenError(raw []byte) (*PerpVenuePositionOpen, error) {
	out := new(PerpVenuePositionOpen)
	if err := perpVenue.abi.UnpackIntoInterface(out, "PositionOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueSlippageExceeded represents a SlippageExceeded error raised by the PerpVenue contract.
type PerpVenueSlippageExceeded struct {
	FillPrice       *big.Int
	AcceptablePrice *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SlippageExceeded(uint256 fillPrice, uint256 acceptablePrice)
func PerpVenueSlippageExceededErrorID() common.Hash {
	return common.HexToHash("0x71c4efeda0c103f56fd5ac9b173756384c66cbbbc480b0ad4255bc219a9b6a66")
}

// UnpackSlippageExceededError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SlippageExceeded(uint256 fillPrice, uint256 acceptablePrice)
func (perpVenue *PerpVenue) UnpackSlippageExceededError(raw []byte) (*PerpVenueSlippageExceeded, error) {
	out := new(PerpVenueSlippageExceeded)
	if err := perpVenue.abi.UnpackIntoInterface(out, "SlippageExceeded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueTransferFailed represents a TransferFailed error raised by the PerpVenue contract.
type PerpVenueTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func PerpVenueTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (perpVenue *PerpVenue) UnpackTransferFailedError(raw []byte) (*PerpVenueTransferFailed, error) {
	out := new(PerpVenueTransferFailed)
	if err := perpVenue.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueUnknownMarket represents a UnknownMarket error raised by the PerpVenue contract.
type PerpVenueUnknownMarket struct {
	MarketId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownMarket(uint256 marketId)
func PerpVenueUnknownMarketErrorID() common.Hash {
	return common.HexToHash("0x69616b8729ee3640e8c69425ae1ed0fdcd4484ce6e3c6729a358dac050a6f7ae")
}

// UnpackUnknownMarketError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownMarket(uint256 marketId)
func (perpVenue *PerpVenue) UnpackUnknownMarketError(raw []byte) (*PerpVenueUnknownMarket, error) {
	out := new(PerpVenueUnknownMarket)
	if err := perpVenue.abi.UnpackIntoInterface(out, "UnknownMarket", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PerpVenueZeroAmount represents a ZeroAmount error raised by the PerpVenue contract.
type PerpVenueZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func PerpVenueZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (perpVenue *PerpVenue) UnpackZeroAmountError(raw []byte) (*PerpVenueZeroAmount, error) {
	out := new(PerpVenueZeroAmount)
	if err := perpVenue.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PriceFeedMetaData contains all meta data concerning the PriceFeed contract.
var PriceFeedMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"description_\",\"type\":\"string\"},{\"internalType\":\"int256\",\"name\":\"initialAnswer\",\"type\":\"int256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"NoData\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"int256\",\"name\":\"current\",\"type\":\"int256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"roundId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"updatedAt\",\"type\":\"uint256\"}],\"name\":\"AnswerUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"description\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint80\",\"name\":\"id\",\"type\":\"uint80\"}],\"name\":\"getRoundData\",\"outputs\":[{\"internalType\":\"uint80\",\"name\":\"roundId\",\"type\":\"uint80\"},{\"internalType\":\"int256\",\"name\":\"answer\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"startedAt\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"updatedAt\",\"type\":\"uint256\"},{\"internalType\":\"uint80\",\"name\":\"answeredInRound\",\"type\":\"uint80\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"latestRound\",\"outputs\":[{\"internalType\":\"uint80\",\"name\":\"\",\"type\":\"uint80\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"latestRoundData\",\"outputs\":[{\"internalType\":\"uint80\",\"name\":\"roundId\",\"type\":\"uint80\"},{\"internalType\":\"int256\",\"name\":\"answer\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"startedAt\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"updatedAt\",\"type\":\"uint256\"},{\"internalType\":\"uint80\",\"name\":\"answeredInRound\",\"type\":\"uint80\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"answer\",\"type\":\"int256\"}],\"name\":\"pushAnswer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"answer\",\"type\":\"int256\"},{\"internalType\":\"uint256\",\"name\":\"updatedAt\",\"type\":\"uint256\"}],\"name\":\"pushAnswerAt\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"version\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "b230c1917dcfb92c03d48edfdc98bc0d7a",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161099138038061099183398101604081905261002e9161017d565b60ff83166080525f61004083826102d5565b50600180546001600160a01b0319163317905561005d8142610065565b5050506103c6565b60018054600160a01b90046001600160501b03169060146100858361038f565b82546001600160501b039182166101009390930a928302928202191691909117909155604080516060810182528581526001600160401b03428116602080840191825287831684860190815260018054600160a01b9081900489165f90815260029094529287902095518655925194830180549151851668010000000000000000026001600160801b03199092169590941694909417939093179091555491519104909116915083907f0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f9061015d9085815260200190565b60405180910390a35050565b634e487b7160e01b5f52604160045260245ffd5b5f5f5f6060848603121561018f575f5ffd5b835160ff8116811461019f575f5ffd5b60208501519093506001600160401b038111156101ba575f5ffd5b8401601f810186136101ca575f5ffd5b80516001600160401b038111156101e3576101e3610169565b604051601f8201601f19908116603f011681016001600160401b038111828210171561021157610211610169565b604052818152828201602001881015610228575f5ffd5b8160208401602083015e5f91810160200191909152604095909501519396949550929392505050565b600181811c9082168061026557607f821691505b60208210810361028357634e487b7160e01b5f52602260045260245ffd5b50919050565b601f8211156102d057805f5260205f20601f840160051c810160208510156102ae5750805b601f840160051c820191505b818110156102cd575f81556001016102ba565b50505b505050565b81516001600160401b038111156102ee576102ee610169565b610302816102fc8454610251565b84610289565b6020601f821160018114610334575f831561031d5750848201515b5f19600385901b1c1916600184901b1784556102cd565b5f84815260208120601f198516915b828110156103635787850151825560209485019460019092019101610343565b508482101561038057868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b5f6001600160501b0382166002600160501b031981016103bd57634e487b7160e01b5f52601160045260245ffd5b60010192915050565b6080516105b46103dd5f395f609901526105b45ff3fe608060405234801561000f575f5ffd5b5060043610610090575f3560e01c80637284e416116100635780637284e4161461012f5780637bef58c5146101445780638da5cb5b146101575780639a6fc8f514610182578063feaf968c146101c9575f5ffd5b8063313ce5671461009457806338b4dfab146100d257806354fd4d50146100e7578063668a0f02146100fd575b5f5ffd5b6100bb7f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff90911681526020015b60405180910390f35b6100e56100e03660046104ad565b6101d1565b005b6100ef600481565b6040519081526020016100c9565b60015461011790600160a01b90046001600160501b031681565b6040516001600160501b0390911681526020016100c9565b610137610209565b6040516100c991906104c4565b6100e56101523660046104f9565b610294565b60015461016a906001600160a01b031681565b6040516001600160a01b0390911681526020016100c9565b610195610190366004610519565b6102cd565b604080516001600160501b03968716815260208101959095528401929092526060830152909116608082015260a0016100c9565b610195610370565b6001546001600160a01b031633146101fc576040516330cd747160e01b815260040160405180910390fd5b61020681426103a4565b50565b5f805461021590610546565b80601f016020809104026020016040519081016040528092919081815260200182805461024190610546565b801561028c5780601f106102635761010080835404028352916020019161028c565b820191905f5260205f20905b81548152906001019060200180831161026f57829003601f168201915b505050505081565b6001546001600160a01b031633146102bf576040516330cd747160e01b815260040160405180910390fd5b6102c982826103a4565b5050565b6001600160501b0381165f90815260026020908152604080832081516060810183528154815260019091015467ffffffffffffffff80821694830194909452600160401b9004909216908201819052829182918291829182036103435760405163175a3d1f60e31b815260040160405180910390fd5b805160208201516040909201519798909767ffffffffffffffff9283169750919091169450879350915050565b5f5f5f5f5f610393600160149054906101000a90046001600160501b03166102cd565b945094509450945094509091929394565b60018054600160a01b90046001600160501b03169060146103c48361057e565b82546001600160501b039182166101009390930a9283029282021916919091179091556040805160608101825285815267ffffffffffffffff428116602080840191825287831684860190815260018054600160a01b9081900489165f908152600290945292879020955186559251948301805491518516600160401b026fffffffffffffffffffffffffffffffff199092169590941694909417939093179091555491519104909116915083907f0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f906104a19085815260200190565b60405180910390a35050565b5f602082840312156104bd575f5ffd5b5035919050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f5f6040838503121561050a575f5ffd5b50508035926020909101359150565b5f60208284031215610529575f5ffd5b81356001600160501b038116811461053f575f5ffd5b9392505050565b600181811c9082168061055a57607f821691505b60208210810361057857634e487b7160e01b5f52602260045260245ffd5b50919050565b5f6001600160501b0382166001600160501b0381036105ab57634e487b7160e01b5f52601160045260245ffd5b6001019291505056",
}

// PriceFeed is an auto generated Go binding around an Ethereum contract.
type PriceFeed struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *PriceFeed) GetABI() abi.ABI {
	return c.abi
}

// NewPriceFeed creates a new instance of PriceFeed.
func NewPriceFeed() *PriceFeed {
	parsed, err := PriceFeedMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &PriceFeed{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *PriceFeed) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint8 decimals_, string description_, int256 initialAnswer) returns()
func (priceFeed *PriceFeed) PackConstructor(decimals_ uint8, description_ string, initialAnswer *big.Int) []byte {
	enc, err := priceFeed.abi.Pack("", decimals_, description_, initialAnswer)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (priceFeed *PriceFeed) PackDecimals() []byte {
	enc, err := priceFeed.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (priceFeed *PriceFeed) TryPackDecimals() ([]byte, error) {
	return priceFeed.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (priceFeed *PriceFeed) UnpackDecimals(data []byte) (uint8, error) {
	out, err := priceFeed.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDescription is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7284e416.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function description() view returns(string)
func (priceFeed *PriceFeed) PackDescription() []byte {
	enc, err := priceFeed.abi.Pack("description")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDescription is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7284e416.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function description() view returns(string)
func (priceFeed *PriceFeed) TryPackDescription() ([]byte, error) {
	return priceFeed.abi.Pack("description")
}

// UnpackDescription is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7284e416.
//
// Solidity: function description() view returns(string)
func (priceFeed *PriceFeed) UnpackDescription(data []byte) (string, error) {
	out, err := priceFeed.abi.Unpack("description", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackGetRoundData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a6fc8f5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoundData(uint80 id) view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) PackGetRoundData(id *big.Int) []byte {
	enc, err := priceFeed.abi.Pack("getRoundData", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoundData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a6fc8f5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoundData(uint80 id) view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) TryPackGetRoundData(id *big.Int) ([]byte, error) {
	return priceFeed.abi.Pack("getRoundData", id)
}

// GetRoundDataOutput serves as a container for the return parameters of contract
// method GetRoundData.
type GetRoundDataOutput struct {
	RoundId         *big.Int
	Answer          *big.Int
	StartedAt       *big.Int
	UpdatedAt       *big.Int
	AnsweredInRound *big.Int
}

// UnpackGetRoundData is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9a6fc8f5.
//
// Solidity: function getRoundData(uint80 id) view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) UnpackGetRoundData(data []byte) (GetRoundDataOutput, error) {
	out, err := priceFeed.abi.Unpack("getRoundData", data)
	outstruct := new(GetRoundDataOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.RoundId = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Answer = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.StartedAt = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.UpdatedAt = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.AnsweredInRound = abi.ConvertType(out[4], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackLatestRound is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x668a0f02.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function latestRound() view returns(uint80)
func (priceFeed *PriceFeed) PackLatestRound() []byte {
	enc, err := priceFeed.abi.Pack("latestRound")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLatestRound is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x668a0f02.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function latestRound() view returns(uint80)
func (priceFeed *PriceFeed) TryPackLatestRound() ([]byte, error) {
	return priceFeed.abi.Pack("latestRound")
}

// UnpackLatestRound is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x668a0f02.
//
// Solidity: function latestRound() view returns(uint80)
func (priceFeed *PriceFeed) UnpackLatestRound(data []byte) (*big.Int, error) {
	out, err := priceFeed.abi.Unpack("latestRound", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackLatestRoundData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfeaf968c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function latestRoundData() view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) PackLatestRoundData() []byte {
	enc, err := priceFeed.abi.Pack("latestRoundData")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLatestRoundData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfeaf968c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function latestRoundData() view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) TryPackLatestRoundData() ([]byte, error) {
	return priceFeed.abi.Pack("latestRoundData")
}

// LatestRoundDataOutput serves as a container for the return parameters of contract
// method LatestRoundData.
type LatestRoundDataOutput struct {
	RoundId         *big.Int
	Answer          *big.Int
	StartedAt       *big.Int
	UpdatedAt       *big.Int
	AnsweredInRound *big.Int
}

// UnpackLatestRoundData is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfeaf968c.
//
// Solidity: function latestRoundData() view returns(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
func (priceFeed *PriceFeed) UnpackLatestRoundData(data []byte) (LatestRoundDataOutput, error) {
	out, err := priceFeed.abi.Unpack("latestRoundData", data)
	outstruct := new(LatestRoundDataOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.RoundId = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Answer = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.StartedAt = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.UpdatedAt = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.AnsweredInRound = abi.ConvertType(out[4], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (priceFeed *PriceFeed) PackOwner() []byte {
	enc, err := priceFeed.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (priceFeed *PriceFeed) TryPackOwner() ([]byte, error) {
	return priceFeed.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (priceFeed *PriceFeed) UnpackOwner(data []byte) (common.Address, error) {
	out, err := priceFeed.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPushAnswer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38b4dfab.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pushAnswer(int256 answer) returns()
func (priceFeed *PriceFeed) PackPushAnswer(answer *big.Int) []byte {
	enc, err := priceFeed.abi.Pack("pushAnswer", answer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPushAnswer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38b4dfab.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pushAnswer(int256 answer) returns()
func (priceFeed *PriceFeed) TryPackPushAnswer(answer *big.Int) ([]byte, error) {
	return priceFeed.abi.Pack("pushAnswer", answer)
}

// PackPushAnswerAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7bef58c5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pushAnswerAt(int256 answer, uint256 updatedAt) returns()
func (priceFeed *PriceFeed) PackPushAnswerAt(answer *big.Int, updatedAt *big.Int) []byte {
	enc, err := priceFeed.abi.Pack("pushAnswerAt", answer, updatedAt)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPushAnswerAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7bef58c5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pushAnswerAt(int256 answer, uint256 updatedAt) returns()
func (priceFeed *PriceFeed) TryPackPushAnswerAt(answer *big.Int, updatedAt *big.Int) ([]byte, error) {
	return priceFeed.abi.Pack("pushAnswerAt", answer, updatedAt)
}

// PackVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54fd4d50.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function version() view returns(uint256)
func (priceFeed *PriceFeed) PackVersion() []byte {
	enc, err := priceFeed.abi.Pack("version")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54fd4d50.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function version() view returns(uint256)
func (priceFeed *PriceFeed) TryPackVersion() ([]byte, error) {
	return priceFeed.abi.Pack("version")
}

// UnpackVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x54fd4d50.
//
// Solidity: function version() view returns(uint256)
func (priceFeed *PriceFeed) UnpackVersion(data []byte) (*big.Int, error) {
	out, err := priceFeed.abi.Unpack("version", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PriceFeedAnswerUpdated represents a AnswerUpdated event raised by the PriceFeed contract.
type PriceFeedAnswerUpdated struct {
	Current   *big.Int
	RoundId   *big.Int
	UpdatedAt *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const PriceFeedAnswerUpdatedEventName = "AnswerUpdated"

// ContractEventName returns the user-defined event name.
func (PriceFeedAnswerUpdated) ContractEventName() string {
	return PriceFeedAnswerUpdatedEventName
}

// UnpackAnswerUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)
func (priceFeed *PriceFeed) UnpackAnswerUpdatedEvent(log *types.Log) (*PriceFeedAnswerUpdated, error) {
	event := "AnswerUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != priceFeed.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PriceFeedAnswerUpdated)
	if len(log.Data) > 0 {
		if err := priceFeed.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range priceFeed.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (priceFeed *PriceFeed) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], priceFeed.abi.Errors["NoData"].ID.Bytes()[:4]) {
		return priceFeed.UnpackNoDataError(raw[4:])
	}
	if bytes.Equal(raw[:4], priceFeed.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return priceFeed.UnpackNotOwnerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PriceFeedNoData represents a NoData error raised by the PriceFeed contract.
type PriceFeedNoData struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoData()
func PriceFeedNoDataErrorID() common.Hash {
	return common.HexToHash("0xbad1e8f8deaf0b48103d0156ea535171224e41afb1366e97fc1e6a5bc7206a0d")
}

// UnpackNoDataError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoData()
func (priceFeed *PriceFeed) UnpackNoDataError(raw []byte) (*PriceFeedNoData, error) {
	out := new(PriceFeedNoData)
	if err := priceFeed.abi.UnpackIntoInterface(out, "NoData", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PriceFeedNotOwner represents a NotOwner error raised by the PriceFeed contract.
type PriceFeedNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func PriceFeedNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (priceFeed *PriceFeed) UnpackNotOwnerError(raw []byte) (*PriceFeedNotOwner, error) {
	out := new(PriceFeedNotOwner)
	if err := priceFeed.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakedTokenMetaData contains all meta data concerning the StakedToken contract.
var StakedTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"rate_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroRate\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"previousRate\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newRate\",\"type\":\"uint256\"}],\"name\":\"RateUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exchangeRate\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getExchangeRate\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getRate\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"getStETHByWstETH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"getWstETHByStETH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"rate_\",\"type\":\"uint256\"}],\"name\":\"setRate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stEthPerToken\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "53576c80324d1c42421f6050c1e0da28aa",
	Bin: "0x60a060405234801561000f575f5ffd5b50604051610b9b380380610b9b83398101604081905261002e91610169565b828260125f61003d848261025a565b50600161004a838261025a565b5060ff166080525050600380546001600160a01b031916331790555f819003610086576040516314cee7cd60e11b815260040160405180910390fd5b6006819055604080515f8152602081018390527fb38780ddde1f073d91c150de2696f3f7085883648ba21cc5ef01029cb21d1916910160405180910390a1505050610314565b634e487b7160e01b5f52604160045260245ffd5b5f82601f8301126100ef575f5ffd5b81516001600160401b03811115610108576101086100cc565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610136576101366100cc565b60405281815283820160200185101561014d575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b5f5f5f6060848603121561017b575f5ffd5b83516001600160401b03811115610190575f5ffd5b61019c868287016100e0565b602086015190945090506001600160401b038111156101b9575f5ffd5b6101c5868287016100e0565b925050604084015190509250925092565b600181811c908216806101ea57607f821691505b60208210810361020857634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561025557805f5260205f20601f840160051c810160208510156102335750805b601f840160051c820191505b81811015610252575f815560010161023f565b50505b505050565b81516001600160401b03811115610273576102736100cc565b6102878161028184546101d6565b8461020e565b6020601f8211600181146102b9575f83156102a25750848201515b5f19600385901b1c1916600184901b178455610252565b5f84815260208120601f198516915b828110156102e857878501518255602094850194600190920191016102c8565b508482101561030557868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b60805161086f61032c5f395f61018a015261086f5ff3fe608060405234801561000f575f5ffd5b5060043610610111575f3560e01c8063679aefce1161009e578063a9059cbb1161006e578063a9059cbb14610240578063b0e3890014610253578063bb2952fc14610266578063dd62ed3e14610279578063e6aa216c146101d3575f5ffd5b8063679aefce146101d357806370a08231146101ee5780638da5cb5b1461020d57806395d89b4114610238575f5ffd5b806323b872dd116100e457806323b872dd14610172578063313ce5671461018557806334fcf437146101be5780633ba0b9a9146101d357806340c10f19146101db575f5ffd5b8063035faf821461011557806306fdde0314610131578063095ea7b31461014657806318160ddd14610169575b5f5ffd5b61011e60065481565b6040519081526020015b60405180910390f35b6101396102a3565b60405161012891906106ad565b6101596101543660046106fd565b61032e565b6040519015158152602001610128565b61011e60025481565b610159610180366004610725565b61039a565b6101ac7f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff9091168152602001610128565b6101d16101cc36600461075f565b610439565b005b60065461011e565b6101d16101e93660046106fd565b6104c5565b61011e6101fc366004610776565b60046020525f908152604090205481565b600354610220906001600160a01b031681565b6040516001600160a01b039091168152602001610128565b610139610576565b61015961024e3660046106fd565b610583565b61011e61026136600461075f565b610598565b61011e61027436600461075f565b6105b9565b61011e610287366004610796565b600560209081525f928352604080842090915290825290205481565b5f80546102af906107c7565b80601f01602080910402602001604051908101604052809291908181526020018280546102db906107c7565b80156103265780601f106102fd57610100808354040283529160200191610326565b820191905f5260205f20905b81548152906001019060200180831161030957829003601f168201915b505050505081565b335f8181526005602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906103889086815260200190565b60405180910390a35060015b92915050565b6001600160a01b0383165f9081526005602090815260408083203384529091528120545f19811461042357828110156103f55760405163054365bb60e31b815260048101829052602481018490526044015b60405180910390fd5b6103ff8382610813565b6001600160a01b0386165f9081526005602090815260408083203384529091529020555b61042e8585856105d1565b506001949350505050565b6003546001600160a01b03163314610464576040516330cd747160e01b815260040160405180910390fd5b805f03610484576040516314cee7cd60e11b815260040160405180910390fd5b60065460408051918252602082018390527fb38780ddde1f073d91c150de2696f3f7085883648ba21cc5ef01029cb21d1916910160405180910390a1600655565b6003546001600160a01b031633146104f0576040516330cd747160e01b815260040160405180910390fd5b8060025f8282546105019190610826565b90915550506001600160a01b0382165f908152600460205260408120805483929061052d908490610826565b90915550506040518181526001600160a01b038316905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b600180546102af906107c7565b5f61058f3384846105d1565b50600192915050565b6006545f906105af83670de0b6b3a7640000610839565b6103949190610850565b5f670de0b6b3a7640000600654836105af9190610839565b6001600160a01b0383165f90815260046020526040902054818110156106145760405163cf47918160e01b815260048101829052602481018390526044016103ec565b61061e8282610813565b6001600160a01b038086165f908152600460205260408082209390935590851681529081208054849290610653908490610826565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161069f91815260200190565b60405180910390a350505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b03811681146106f8575f5ffd5b919050565b5f5f6040838503121561070e575f5ffd5b610717836106e2565b946020939093013593505050565b5f5f5f60608486031215610737575f5ffd5b610740846106e2565b925061074e602085016106e2565b929592945050506040919091013590565b5f6020828403121561076f575f5ffd5b5035919050565b5f60208284031215610786575f5ffd5b61078f826106e2565b9392505050565b5f5f604083850312156107a7575f5ffd5b6107b0836106e2565b91506107be602084016106e2565b90509250929050565b600181811c908216806107db57607f821691505b6020821081036107f957634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52601160045260245ffd5b81810381811115610394576103946107ff565b80820180821115610394576103946107ff565b8082028115828204841417610394576103946107ff565b5f8261086a57634e487b7160e01b5f52601260045260245ffd5b50049056",
}

// StakedToken is an auto generated Go binding around an Ethereum contract.
type StakedToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *StakedToken) GetABI() abi.ABI {
	return c.abi
}

// NewStakedToken creates a new instance of StakedToken.
func NewStakedToken() *StakedToken {
	parsed, err := StakedTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &StakedToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *StakedToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint256 rate_) returns()
func (stakedToken *StakedToken) PackConstructor(name_ string, symbol_ string, rate_ *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("", name_, symbol_, rate_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (stakedToken *StakedToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := stakedToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (stakedToken *StakedToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return stakedToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (stakedToken *StakedToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (stakedToken *StakedToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (stakedToken *StakedToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (stakedToken *StakedToken) UnpackApprove(data []byte) (bool, error) {
	out, err := stakedToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (stakedToken *StakedToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := stakedToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (stakedToken *StakedToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return stakedToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (stakedToken *StakedToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (stakedToken *StakedToken) PackDecimals() []byte {
	enc, err := stakedToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (stakedToken *StakedToken) TryPackDecimals() ([]byte, error) {
	return stakedToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (stakedToken *StakedToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := stakedToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackExchangeRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ba0b9a9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exchangeRate() view returns(uint256)
func (stakedToken *StakedToken) PackExchangeRate() []byte {
	enc, err := stakedToken.abi.Pack("exchangeRate")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExchangeRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ba0b9a9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exchangeRate() view returns(uint256)
func (stakedToken *StakedToken) TryPackExchangeRate() ([]byte, error) {
	return stakedToken.abi.Pack("exchangeRate")
}

// UnpackExchangeRate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3ba0b9a9.
//
// Solidity: function exchangeRate() view returns(uint256)
func (stakedToken *StakedToken) UnpackExchangeRate(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("exchangeRate", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetExchangeRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6aa216c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getExchangeRate() view returns(uint256)
func (stakedToken *StakedToken) PackGetExchangeRate() []byte {
	enc, err := stakedToken.abi.Pack("getExchangeRate")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetExchangeRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6aa216c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getExchangeRate() view returns(uint256)
func (stakedToken *StakedToken) TryPackGetExchangeRate() ([]byte, error) {
	return stakedToken.abi.Pack("getExchangeRate")
}

// UnpackGetExchangeRate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe6aa216c.
//
// Solidity: function getExchangeRate() view returns(uint256)
func (stakedToken *StakedToken) UnpackGetExchangeRate(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("getExchangeRate", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x679aefce.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRate() view returns(uint256)
func (stakedToken *StakedToken) PackGetRate() []byte {
	enc, err := stakedToken.abi.Pack("getRate")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x679aefce.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRate() view returns(uint256)
func (stakedToken *StakedToken) TryPackGetRate() ([]byte, error) {
	return stakedToken.abi.Pack("getRate")
}

// UnpackGetRate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x679aefce.
//
// Solidity: function getRate() view returns(uint256)
func (stakedToken *StakedToken) UnpackGetRate(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("getRate", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetStETHByWstETH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb2952fc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getStETHByWstETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) PackGetStETHByWstETH(amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("getStETHByWstETH", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetStETHByWstETH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb2952fc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getStETHByWstETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) TryPackGetStETHByWstETH(amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("getStETHByWstETH", amount)
}

// UnpackGetStETHByWstETH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbb2952fc.
//
// Solidity: function getStETHByWstETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) UnpackGetStETHByWstETH(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("getStETHByWstETH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetWstETHByStETH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0e38900.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getWstETHByStETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) PackGetWstETHByStETH(amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("getWstETHByStETH", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetWstETHByStETH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0e38900.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getWstETHByStETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) TryPackGetWstETHByStETH(amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("getWstETHByStETH", amount)
}

// UnpackGetWstETHByStETH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb0e38900.
//
// Solidity: function getWstETHByStETH(uint256 amount) view returns(uint256)
func (stakedToken *StakedToken) UnpackGetWstETHByStETH(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("getWstETHByStETH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (stakedToken *StakedToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (stakedToken *StakedToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (stakedToken *StakedToken) PackName() []byte {
	enc, err := stakedToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (stakedToken *StakedToken) TryPackName() ([]byte, error) {
	return stakedToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (stakedToken *StakedToken) UnpackName(data []byte) (string, error) {
	out, err := stakedToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (stakedToken *StakedToken) PackOwner() []byte {
	enc, err := stakedToken.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (stakedToken *StakedToken) TryPackOwner() ([]byte, error) {
	return stakedToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (stakedToken *StakedToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := stakedToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34fcf437.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setRate(uint256 rate_) returns()
func (stakedToken *StakedToken) PackSetRate(rate *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("setRate", rate)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34fcf437.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setRate(uint256 rate_) returns()
func (stakedToken *StakedToken) TryPackSetRate(rate *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("setRate", rate)
}

// PackStEthPerToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x035faf82.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stEthPerToken() view returns(uint256)
func (stakedToken *StakedToken) PackStEthPerToken() []byte {
	enc, err := stakedToken.abi.Pack("stEthPerToken")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStEthPerToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x035faf82.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stEthPerToken() view returns(uint256)
func (stakedToken *StakedToken) TryPackStEthPerToken() ([]byte, error) {
	return stakedToken.abi.Pack("stEthPerToken")
}

// UnpackStEthPerToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x035faf82.
//
// Solidity: function stEthPerToken() view returns(uint256)
func (stakedToken *StakedToken) UnpackStEthPerToken(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("stEthPerToken", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (stakedToken *StakedToken) PackSymbol() []byte {
	enc, err := stakedToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (stakedToken *StakedToken) TryPackSymbol() ([]byte, error) {
	return stakedToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (stakedToken *StakedToken) UnpackSymbol(data []byte) (string, error) {
	out, err := stakedToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (stakedToken *StakedToken) PackTotalSupply() []byte {
	enc, err := stakedToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (stakedToken *StakedToken) TryPackTotalSupply() ([]byte, error) {
	return stakedToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (stakedToken *StakedToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := stakedToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := stakedToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := stakedToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return stakedToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (stakedToken *StakedToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := stakedToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// StakedTokenApproval represents a Approval event raised by the StakedToken contract.
type StakedTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const StakedTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (StakedTokenApproval) ContractEventName() string {
	return StakedTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (stakedToken *StakedToken) UnpackApprovalEvent(log *types.Log) (*StakedTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != stakedToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StakedTokenApproval)
	if len(log.Data) > 0 {
		if err := stakedToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stakedToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// StakedTokenRateUpdated represents a RateUpdated event raised by the StakedToken contract.
type StakedTokenRateUpdated struct {
	PreviousRate *big.Int
	NewRate      *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const StakedTokenRateUpdatedEventName = "RateUpdated"

// ContractEventName returns the user-defined event name.
func (StakedTokenRateUpdated) ContractEventName() string {
	return StakedTokenRateUpdatedEventName
}

// UnpackRateUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RateUpdated(uint256 previousRate, uint256 newRate)
func (stakedToken *StakedToken) UnpackRateUpdatedEvent(log *types.Log) (*StakedTokenRateUpdated, error) {
	event := "RateUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != stakedToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StakedTokenRateUpdated)
	if len(log.Data) > 0 {
		if err := stakedToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stakedToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// StakedTokenTransfer represents a Transfer event raised by the StakedToken contract.
type StakedTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const StakedTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (StakedTokenTransfer) ContractEventName() string {
	return StakedTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (stakedToken *StakedToken) UnpackTransferEvent(log *types.Log) (*StakedTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != stakedToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StakedTokenTransfer)
	if len(log.Data) > 0 {
		if err := stakedToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stakedToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (stakedToken *StakedToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], stakedToken.abi.Errors["InsufficientAllowance"].ID.Bytes()[:4]) {
		return stakedToken.UnpackInsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], stakedToken.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return stakedToken.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], stakedToken.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return stakedToken.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], stakedToken.abi.Errors["ZeroRate"].ID.Bytes()[:4]) {
		return stakedToken.UnpackZeroRateError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// StakedTokenInsufficientAllowance represents a InsufficientAllowance error raised by the StakedToken contract.
type StakedTokenInsufficientAllowance struct {
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientAllowance(uint256 allowance, uint256 needed)
func StakedTokenInsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0x2a1b2dd846b7c4bf41216c8f38fc58089000eb0b20edf03e6f81ecadbe2cbedf")
}

// UnpackInsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientAllowance(uint256 allowance, uint256 needed)
func (stakedToken *StakedToken) UnpackInsufficientAllowanceError(raw []byte) (*StakedTokenInsufficientAllowance, error) {
	out := new(StakedTokenInsufficientAllowance)
	if err := stakedToken.abi.UnpackIntoInterface(out, "InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakedTokenInsufficientBalance represents a InsufficientBalance error raised by the StakedToken contract.
type StakedTokenInsufficientBalance struct {
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func StakedTokenInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xcf4791818fba6e019216eb4864093b4947f674afada5d305e57d598b641dad1d")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func (stakedToken *StakedToken) UnpackInsufficientBalanceError(raw []byte) (*StakedTokenInsufficientBalance, error) {
	out := new(StakedTokenInsufficientBalance)
	if err := stakedToken.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakedTokenNotOwner represents a NotOwner error raised by the StakedToken contract.
type StakedTokenNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func StakedTokenNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (stakedToken *StakedToken) UnpackNotOwnerError(raw []byte) (*StakedTokenNotOwner, error) {
	out := new(StakedTokenNotOwner)
	if err := stakedToken.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakedTokenZeroRate represents a ZeroRate error raised by the StakedToken contract.
type StakedTokenZeroRate struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroRate()
func StakedTokenZeroRateErrorID() common.Hash {
	return common.HexToHash("0x299dcf9a41f9ddc694b85732ce6cab64bc65574aaae963d596ad33ee427e900d")
}

// UnpackZeroRateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroRate()
func (stakedToken *StakedToken) UnpackZeroRateError(raw []byte) (*StakedTokenZeroRate, error) {
	out := new(StakedTokenZeroRate)
	if err := stakedToken.abi.UnpackIntoInterface(out, "ZeroRate", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestTokenMetaData contains all meta data concerning the TestToken contract.
var TestTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "f55a244fd302b3ad9c29331f7b5a231b71",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161098238038061098283398101604081905261002e91610103565b5f6100398482610204565b5060016100468382610204565b5060ff166080525050600380546001600160a01b031916331790556102be565b634e487b7160e01b5f52604160045260245ffd5b5f82601f830112610089575f5ffd5b81516001600160401b038111156100a2576100a2610066565b604051601f8201601f19908116603f011681016001600160401b03811182821017156100d0576100d0610066565b6040528181528382016020018510156100e7575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b5f5f5f60608486031215610115575f5ffd5b83516001600160401b0381111561012a575f5ffd5b6101368682870161007a565b602086015190945090506001600160401b03811115610153575f5ffd5b61015f8682870161007a565b925050604084015160ff81168114610175575f5ffd5b809150509250925092565b600181811c9082168061019457607f821691505b6020821081036101b257634e487b7160e01b5f52602260045260245ffd5b50919050565b601f8211156101ff57805f5260205f20601f840160051c810160208510156101dd5750805b601f840160051c820191505b818110156101fc575f81556001016101e9565b50505b505050565b81516001600160401b0381111561021d5761021d610066565b6102318161022b8454610180565b846101b8565b6020601f821160018114610263575f831561024c5750848201515b5f19600385901b1c1916600184901b1784556101fc565b5f84815260208120601f198516915b828110156102925787850151825560209485019460019092019101610272565b50848210156102af57868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b6080516106ac6102d65f395f61011a01526106ac5ff3fe608060405234801561000f575f5ffd5b50600436106100a6575f3560e01c806340c10f191161006e57806340c10f191461014e57806370a08231146101635780638da5cb5b1461018257806395d89b41146101ad578063a9059cbb146101b5578063dd62ed3e146101c8575f5ffd5b806306fdde03146100aa578063095ea7b3146100c857806318160ddd146100eb57806323b872dd14610102578063313ce56714610115575b5f5ffd5b6100b26101f2565b6040516100bf9190610537565b60405180910390f35b6100db6100d6366004610587565b61027d565b60405190151581526020016100bf565b6100f460025481565b6040519081526020016100bf565b6100db6101103660046105af565b6102e9565b61013c7f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff90911681526020016100bf565b61016161015c366004610587565b610388565b005b6100f46101713660046105e9565b60046020525f908152604090205481565b600354610195906001600160a01b031681565b6040516001600160a01b0390911681526020016100bf565b6100b2610439565b6100db6101c3366004610587565b610446565b6100f46101d6366004610609565b600560209081525f928352604080842090915290825290205481565b5f80546101fe9061063a565b80601f016020809104026020016040519081016040528092919081815260200182805461022a9061063a565b80156102755780601f1061024c57610100808354040283529160200191610275565b820191905f5260205f20905b81548152906001019060200180831161025857829003601f168201915b505050505081565b335f8181526005602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906102d79086815260200190565b60405180910390a35060015b92915050565b6001600160a01b0383165f9081526005602090815260408083203384529091528120545f19811461037257828110156103445760405163054365bb60e31b815260048101829052602481018490526044015b60405180910390fd5b61034e8382610686565b6001600160a01b0386165f9081526005602090815260408083203384529091529020555b61037d85858561045b565b506001949350505050565b6003546001600160a01b031633146103b3576040516330cd747160e01b815260040160405180910390fd5b8060025f8282546103c49190610699565b90915550506001600160a01b0382165f90815260046020526040812080548392906103f0908490610699565b90915550506040518181526001600160a01b038316905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b600180546101fe9061063a565b5f61045233848461045b565b50600192915050565b6001600160a01b0383165f908152600460205260409020548181101561049e5760405163cf47918160e01b8152600481018290526024810183905260440161033b565b6104a88282610686565b6001600160a01b038086165f9081526004602052604080822093909355908516815290812080548492906104dd908490610699565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161052991815260200190565b60405180910390a350505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610582575f5ffd5b919050565b5f5f60408385031215610598575f5ffd5b6105a18361056c565b946020939093013593505050565b5f5f5f606084860312156105c1575f5ffd5b6105ca8461056c565b92506105d86020850161056c565b929592945050506040919091013590565b5f602082840312156105f9575f5ffd5b6106028261056c565b9392505050565b5f5f6040838503121561061a575f5ffd5b6106238361056c565b91506106316020840161056c565b90509250929050565b600181811c9082168061064e57607f821691505b60208210810361066c57634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156102e3576102e3610672565b808201808211156102e3576102e361067256",
}

// TestToken is an auto generated Go binding around an Ethereum contract.
type TestToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TestToken) GetABI() abi.ABI {
	return c.abi
}

// NewTestToken creates a new instance of TestToken.
func NewTestToken() *TestToken {
	parsed, err := TestTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TestToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TestToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (testToken *TestToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := testToken.abi.Pack("", name_, symbol_, decimals_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := testToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return testToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackApprove(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := testToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return testToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) PackDecimals() []byte {
	enc, err := testToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) TryPackDecimals() ([]byte, error) {
	return testToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := testToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (testToken *TestToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (testToken *TestToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) PackName() []byte {
	enc, err := testToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) TryPackName() ([]byte, error) {
	return testToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) UnpackName(data []byte) (string, error) {
	out, err := testToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (testToken *TestToken) PackOwner() []byte {
	enc, err := testToken.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (testToken *TestToken) TryPackOwner() ([]byte, error) {
	return testToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (testToken *TestToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := testToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) PackSymbol() []byte {
	enc, err := testToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) TryPackSymbol() ([]byte, error) {
	return testToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) UnpackSymbol(data []byte) (string, error) {
	out, err := testToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) PackTotalSupply() []byte {
	enc, err := testToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) TryPackTotalSupply() ([]byte, error) {
	return testToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// TestTokenApproval represents a Approval event raised by the TestToken contract.
type TestTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TestTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (TestTokenApproval) ContractEventName() string {
	return TestTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (testToken *TestToken) UnpackApprovalEvent(log *types.Log) (*TestTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestTokenApproval)
	if len(log.Data) > 0 {
		if err := testToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TestTokenTransfer represents a Transfer event raised by the TestToken contract.
type TestTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const TestTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (TestTokenTransfer) ContractEventName() string {
	return TestTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (testToken *TestToken) UnpackTransferEvent(log *types.Log) (*TestTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestTokenTransfer)
	if len(log.Data) > 0 {
		if err := testToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (testToken *TestToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], testToken.abi.Errors["InsufficientAllowance"].ID.Bytes()[:4]) {
		return testToken.UnpackInsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], testToken.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return testToken.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], testToken.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return testToken.UnpackNotOwnerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// TestTokenInsufficientAllowance represents a InsufficientAllowance error raised by the TestToken contract.
type TestTokenInsufficientAllowance struct {
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientAllowance(uint256 allowance, uint256 needed)
func TestTokenInsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0x2a1b2dd846b7c4bf41216c8f38fc58089000eb0b20edf03e6f81ecadbe2cbedf")
}

// UnpackInsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientAllowance(uint256 allowance, uint256 needed)
func (testToken *TestToken) UnpackInsufficientAllowanceError(raw []byte) (*TestTokenInsufficientAllowance, error) {
	out := new(TestTokenInsufficientAllowance)
	if err := testToken.abi.UnpackIntoInterface(out, "InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestTokenInsufficientBalance represents a InsufficientBalance error raised by the TestToken contract.
type TestTokenInsufficientBalance struct {
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func TestTokenInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xcf4791818fba6e019216eb4864093b4947f674afada5d305e57d598b641dad1d")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func (testToken *TestToken) UnpackInsufficientBalanceError(raw []byte) (*TestTokenInsufficientBalance, error) {
	out := new(TestTokenInsufficientBalance)
	if err := testToken.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestTokenNotOwner represents a NotOwner error raised by the TestToken contract.
type TestTokenNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func TestTokenNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (testToken *TestToken) UnpackNotOwnerError(raw []byte) (*TestTokenNotOwner, error) {
	out := new(TestTokenNotOwner)
	if err := testToken.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
