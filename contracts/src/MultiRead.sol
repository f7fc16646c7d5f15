// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MultiRead: the read-only part of Multicall3's interface, for rehearsal chains.
/// @notice Real networks have Multicall3 at 0xcA11bde05977b3631167028862bE2a173976CA11;
/// anvil and geth --dev do not. `hedger` reads spot through aggregate3,
/// getEthBalance and getBlockNumber only, so this contract implements exactly
/// those selectors and return shapes, and the rehearsal installs its code at
/// the canonical address. It holds no funds and has no state.
contract MultiRead {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    error CallFailed(uint256 index);

    /// @notice Static-calls each target; a failure is returned, not reverted, when allowed.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool ok, bytes memory ret) = calls[i].target.staticcall(calls[i].callData);
            if (!ok && !calls[i].allowFailure) revert CallFailed(i);
            results[i] = Result(ok, ret);
        }
    }

    function getEthBalance(address addr) external view returns (uint256) {
        return addr.balance;
    }

    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }
}
