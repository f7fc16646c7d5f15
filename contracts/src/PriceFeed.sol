// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Chainlink's AggregatorV3Interface, as read by the venue and hedger.
interface AggregatorV3Interface {
    function decimals() external view returns (uint8);
    function description() external view returns (string memory);
    function version() external view returns (uint256);
    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

/// @title PriceFeed: a Chainlink-compatible feed whose owner pushes answers.
/// @notice Every push is a new round, so round history (getRoundData) is real.
contract PriceFeed is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint64 startedAt;
        uint64 updatedAt;
    }

    uint8 public immutable override decimals;
    string public override description;
    uint256 public constant override version = 4;
    address public owner;
    uint80 public latestRound;
    mapping(uint80 => Round) internal rounds;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    error NotOwner();
    error NoData();

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        decimals = decimals_;
        description = description_;
        owner = msg.sender;
        _push(initialAnswer, block.timestamp);
    }

    /// @notice Publish a new answer at the current block time.
    function pushAnswer(int256 answer) external {
        if (msg.sender != owner) revert NotOwner();
        _push(answer, block.timestamp);
    }

    /// @notice Publish an answer with an explicit updatedAt, to rehearse stale feeds.
    function pushAnswerAt(int256 answer, uint256 updatedAt) external {
        if (msg.sender != owner) revert NotOwner();
        _push(answer, updatedAt);
    }

    function _push(int256 answer, uint256 updatedAt) internal {
        latestRound++;
        rounds[latestRound] = Round(answer, uint64(block.timestamp), uint64(updatedAt));
        emit AnswerUpdated(answer, latestRound, updatedAt);
    }

    function getRoundData(uint80 id)
        public
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory r = rounds[id];
        if (r.updatedAt == 0) revert NoData();
        return (id, r.answer, r.startedAt, r.updatedAt, id);
    }

    function latestRoundData()
        external
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return getRoundData(latestRound);
    }
}
