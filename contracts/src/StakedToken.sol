// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestToken} from "./TestToken.sol";

/// @title StakedToken: a wstETH-like wrapped liquid-staking token for local chains.
/// @notice Balances are in wrapped units; each unit is worth `stEthPerToken()`
/// of the underlying (1e18-scaled), as wstETH exposes it. On a real chain the
/// rate grows as staking rewards accrue; here the owner sets it, so tests and
/// rehearsals can move it on purpose. It never decreases silently: every
/// change emits RateUpdated.
contract StakedToken is TestToken {
    /// @notice Underlying per wrapped token, 1e18-scaled (1.15e18 = 1.15 underlying).
    uint256 public stEthPerToken;

    event RateUpdated(uint256 previousRate, uint256 newRate);

    error ZeroRate();

    constructor(string memory name_, string memory symbol_, uint256 rate_) TestToken(name_, symbol_, 18) {
        if (rate_ == 0) revert ZeroRate();
        stEthPerToken = rate_;
        emit RateUpdated(0, rate_);
    }

    /// @notice Set the underlying per wrapped token (owner only).
    function setRate(uint256 rate_) external {
        if (msg.sender != owner) revert NotOwner();
        if (rate_ == 0) revert ZeroRate();
        emit RateUpdated(stEthPerToken, rate_);
        stEthPerToken = rate_;
    }

    /// @notice The same rate under the names other liquid-staking tokens use, so
    /// one contract rehearses each of them at its real address: rETH
    /// (getExchangeRate), cbETH (exchangeRate) and weETH (getRate).
    function getExchangeRate() external view returns (uint256) {
        return stEthPerToken;
    }

    function exchangeRate() external view returns (uint256) {
        return stEthPerToken;
    }

    function getRate() external view returns (uint256) {
        return stEthPerToken;
    }

    /// @notice Underlying amount of `amount` wrapped tokens (rounded down), as wstETH.
    function getStETHByWstETH(uint256 amount) external view returns (uint256) {
        return (amount * stEthPerToken) / 1e18;
    }

    /// @notice Wrapped amount worth `amount` of the underlying (rounded down), as wstETH.
    function getWstETHByStETH(uint256 amount) external view returns (uint256) {
        return (amount * 1e18) / stEthPerToken;
    }
}
