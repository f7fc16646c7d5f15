// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "./PriceFeed.sol";

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function decimals() external view returns (uint8);
}

/// @title PerpVenue: a stablecoin-margined perpetual exchange for rehearsals.
/// @notice Isolated positions per (account, market). Prices, sizes and margin
/// are 18-decimal fixed point ("wad") inside; collateral moves in token units.
/// Mark price and funding come from open-interest skew, so basis and funding
/// on a local chain are produced by real positions, not by an admin knob.
/// Funding convention: a positive rate means longs pay shorts.
/// Equity values a position at the price closing it would fill at, not at
/// mark: the premium a trade creates by moving skew is not equity.
contract PerpVenue {
    uint256 internal constant WAD = 1e18;
    int256 internal constant IWAD = 1e18;

    struct MarketParams {
        uint256 maxLeverage; // wad, e.g. 20e18
        uint256 maintenanceMargin; // wad fraction of notional, e.g. 0.05e18
        uint256 takerFee; // wad fraction of notional, e.g. 0.0005e18
        uint256 skewScale; // wad base units: mark = index * (1 + skew / skewScale)
        uint256 fundingCoeff; // wad: daily funding rate = fundingCoeff * skew / skewScale
        uint256 maxFundingRate; // wad per day, clamp of the rate
        uint256 liquidationReward; // wad fraction of notional paid to the liquidator
    }

    struct Market {
        string symbol;
        AggregatorV3Interface feed;
        MarketParams params;
        int256 skew; // sum of all position sizes (long - short)
        uint256 oiLong;
        uint256 oiShort;
        int256 fundingIndex; // cumulative funding per unit size, USD wad
        uint64 lastFundingTime;
        bool paused;
        bool fundingSuspended;
    }

    struct Position {
        int256 size; // wad base units, negative = short
        uint256 entryPrice; // wad USD
        int256 margin; // wad USD, after settled pnl, funding and fees
        int256 fundingIndex; // market index when funding was last settled
    }

    /// @notice Everything a client needs about one market, in one call.
    struct MarketView {
        uint256 id;
        string symbol;
        address feed;
        uint256 indexPrice; // 0 when the feed answer is non-positive
        uint256 markPrice;
        int256 skew;
        uint256 oiLong;
        uint256 oiShort;
        int256 fundingRate; // wad per day, > 0: longs pay shorts
        int256 fundingIndex; // accrued to this block
        uint64 lastFundingTime;
        bool paused;
        bool fundingSuspended;
        MarketParams params;
    }

    /// @notice Everything a client needs about one position, in one call.
    struct PositionView {
        int256 size;
        uint256 entryPrice;
        int256 margin;
        int256 accruedFunding; // unsettled, from the holder's side: + received
        int256 unrealizedPnl; // at the price closing the position would fill
        int256 equity; // margin + accruedFunding + unrealizedPnl
        uint256 notional; // |size| * mark
        bool liquidatable;
    }

    IERC20 public immutable collateral;
    uint256 public immutable collateralScale; // wad per collateral base unit
    address public owner;
    uint256 public feePool; // wad: fees and liquidation remainders
    Market[] internal markets;
    mapping(address => mapping(uint256 => Position)) internal positions;

    event MarketAdded(uint256 indexed marketId, string symbol, address feed);
    event MarketParamsUpdated(uint256 indexed marketId, MarketParams params);
    event MarketPaused(uint256 indexed marketId, bool paused);
    event FundingSuspended(uint256 indexed marketId, bool suspended);
    event FundingAccrued(uint256 indexed marketId, int256 fundingIndex, int256 fundingRate, uint256 timestamp);
    event MarginDeposited(address indexed account, uint256 indexed marketId, uint256 amount);
    event MarginWithdrawn(address indexed account, uint256 indexed marketId, uint256 amount);
    event FundingSettled(address indexed account, uint256 indexed marketId, int256 amount);
    event PositionModified(
        address indexed account,
        uint256 indexed marketId,
        int256 sizeDelta,
        uint256 fillPrice,
        int256 newSize,
        uint256 entryPrice,
        uint256 fee,
        int256 realizedPnl
    );
    event PositionLiquidated(
        address indexed account, uint256 indexed marketId, address liquidator, int256 size, uint256 price, uint256 reward
    );
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner();
    error UnknownMarket(uint256 marketId);
    error MarketIsPaused(uint256 marketId);
    error InvalidPrice(int256 answer);
    error ZeroAmount();
    error SlippageExceeded(uint256 fillPrice, uint256 acceptablePrice);
    error InsufficientMargin(int256 equity, int256 required);
    error PositionOpen(int256 size);
    error NotLiquidatable(int256 equity, int256 maintenance);
    error NoPosition();
    error InvalidParams();
    error TransferFailed();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier known(uint256 id) {
        if (id >= markets.length) revert UnknownMarket(id);
        _;
    }

    constructor(IERC20 collateral_) {
        collateral = collateral_;
        uint8 d = collateral_.decimals();
        if (d > 18) revert InvalidParams();
        collateralScale = 10 ** (18 - d);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    // ---- admin ----

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function addMarket(string calldata symbol, AggregatorV3Interface feed, MarketParams calldata params)
        external
        onlyOwner
        returns (uint256 id)
    {
        _checkParams(params);
        id = markets.length;
        Market storage m = markets.push();
        m.symbol = symbol;
        m.feed = feed;
        m.params = params;
        m.lastFundingTime = uint64(block.timestamp);
        // Only differences of the index matter. Starting it non-zero means no
        // later write is zero-to-non-zero, so a gas estimate made before an
        // accrual is not far below what the mined transaction uses.
        m.fundingIndex = IWAD;
        emit MarketAdded(id, symbol, address(feed));
        emit MarketParamsUpdated(id, params);
    }

    function setMarketParams(uint256 id, MarketParams calldata params) external onlyOwner known(id) {
        _checkParams(params);
        _accrue(id);
        markets[id].params = params;
        emit MarketParamsUpdated(id, params);
    }

    function setPaused(uint256 id, bool paused) external onlyOwner known(id) {
        markets[id].paused = paused;
        emit MarketPaused(id, paused);
    }

    /// @notice Freeze the funding index (rate reads 0) until resumed.
    function setFundingSuspended(uint256 id, bool suspended) external onlyOwner known(id) {
        _accrue(id); // what accrued before the switch still counts
        markets[id].fundingSuspended = suspended;
        emit FundingSuspended(id, suspended);
    }

    // ---- margin ----

    function deposit(uint256 id, uint256 amount) external known(id) {
        if (amount == 0) revert ZeroAmount();
        _pull(msg.sender, amount);
        positions[msg.sender][id].margin += int256(amount * collateralScale);
        emit MarginDeposited(msg.sender, id, amount);
    }

    /// @notice Withdraw margin; with a position open, what remains must cover initial margin.
    function withdraw(uint256 id, uint256 amount) external known(id) {
        if (amount == 0) revert ZeroAmount();
        _accrue(id);
        Position storage p = positions[msg.sender][id];
        _settleFunding(msg.sender, id, p);
        int256 w = int256(amount * collateralScale);
        if (p.margin < w) revert InsufficientMargin(p.margin, w);
        p.margin -= w;
        if (p.size != 0) {
            uint256 mark = _markPrice(id, 0);
            int256 equity = p.margin + _pnl(p, _markPrice(id, -p.size));
            int256 required = int256(_abs(p.size) * mark / WAD * WAD / markets[id].params.maxLeverage);
            if (equity < required) revert InsufficientMargin(equity, required);
        }
        _push(msg.sender, amount);
        emit MarginWithdrawn(msg.sender, id, amount);
    }

    /// @notice Withdraw all margin of a closed position, leaving it at zero;
    /// returns collateral units sent.
    function withdrawAll(uint256 id) external known(id) returns (uint256 amount) {
        Position storage p = positions[msg.sender][id];
        if (p.size != 0) revert PositionOpen(p.size);
        if (p.margin <= 0) revert ZeroAmount();
        amount = uint256(p.margin) / collateralScale;
        if (amount == 0) revert ZeroAmount();
        // The fraction of a collateral unit left over cannot be paid out; it
        // goes to the fee pool so that a closed position reads exactly zero.
        feePool += uint256(p.margin) - amount * collateralScale;
        p.margin = 0;
        _push(msg.sender, amount);
        emit MarginWithdrawn(msg.sender, id, amount);
    }

    // ---- trading ----

    /// @notice Change the caller's position by sizeDelta (wad, negative sells).
    /// Reverts with SlippageExceeded when the fill is worse than acceptablePrice
    /// (above it for buys, below it for sells).
    function modifyPosition(uint256 id, int256 sizeDelta, uint256 acceptablePrice) external known(id) {
        if (sizeDelta == 0) revert ZeroAmount();
        Market storage m = markets[id];
        if (m.paused) revert MarketIsPaused(id);
        _accrue(id);
        Position storage p = positions[msg.sender][id];
        _settleFunding(msg.sender, id, p);

        uint256 fill = _markPrice(id, sizeDelta);
        if (sizeDelta > 0 ? fill > acceptablePrice : fill < acceptablePrice) {
            revert SlippageExceeded(fill, acceptablePrice);
        }

        int256 oldSize = p.size;
        int256 newSize = oldSize + sizeDelta;
        int256 realized;
        if (oldSize != 0 && (oldSize > 0) != (sizeDelta > 0)) {
            // the part of the old position that this trade closes, with the old sign
            int256 closed = _abs(sizeDelta) >= _abs(oldSize) ? oldSize : -sizeDelta;
            realized = closed * (int256(fill) - int256(p.entryPrice)) / IWAD;
        }
        if (newSize == 0) {
            p.entryPrice = 0;
        } else if (oldSize == 0 || (oldSize > 0) != (newSize > 0)) {
            p.entryPrice = fill;
        } else if (_abs(newSize) > _abs(oldSize)) {
            p.entryPrice = (_abs(oldSize) * p.entryPrice + _abs(sizeDelta) * fill) / _abs(newSize);
        }
        uint256 fee = _abs(sizeDelta) * fill / WAD * m.params.takerFee / WAD;
        p.margin += realized - int256(fee);
        feePool += fee;
        _setSize(m, oldSize, newSize);
        p.size = newSize;

        _checkMargin(id, p, oldSize);
        emit PositionModified(msg.sender, id, sizeDelta, fill, newSize, p.entryPrice, fee, realized);
    }

    /// @dev After a trade: a position that grew or flipped needs initial
    /// margin; any position must keep equity at or above zero.
    function _checkMargin(uint256 id, Position storage p, int256 oldSize) internal view {
        int256 newSize = p.size;
        if (newSize == 0) {
            if (p.margin < 0) revert InsufficientMargin(p.margin, 0);
            return;
        }
        bool riskUp = _abs(newSize) > _abs(oldSize) || (oldSize != 0 && (oldSize > 0) != (newSize > 0));
        int256 equity = p.margin + _pnl(p, _markPrice(id, -newSize));
        int256 required =
            riskUp ? int256(_abs(newSize) * _markPrice(id, 0) / WAD * WAD / markets[id].params.maxLeverage) : int256(0);
        if (equity < required) revert InsufficientMargin(equity, required);
    }

    /// @notice Anyone may close a position whose equity is below maintenance
    /// margin, at mark, and earn liquidationReward × notional (capped by what is left).
    function liquidate(address account, uint256 id) external known(id) {
        Market storage m = markets[id];
        if (m.paused) revert MarketIsPaused(id);
        _accrue(id);
        Position storage p = positions[account][id];
        int256 size = p.size;
        if (size == 0) revert NoPosition();
        _settleFunding(account, id, p);
        uint256 mark = _markPrice(id, 0);
        uint256 exit = _markPrice(id, -size); // the position is closed at its own fill
        int256 equity = p.margin + _pnl(p, exit);
        uint256 notional = _abs(size) * mark / WAD;
        int256 maintenance = int256(notional * m.params.maintenanceMargin / WAD);
        if (equity >= maintenance) revert NotLiquidatable(equity, maintenance);

        _setSize(m, size, 0);
        uint256 reward = notional * m.params.liquidationReward / WAD;
        if (equity <= 0) reward = 0;
        else if (int256(reward) > equity) reward = uint256(equity);
        reward = reward / collateralScale; // token units
        if (equity > int256(reward * collateralScale)) feePool += uint256(equity) - reward * collateralScale;
        delete positions[account][id];
        if (reward > 0) _push(msg.sender, reward);
        emit PositionLiquidated(account, id, msg.sender, size, exit, reward);
    }

    /// @notice Bring the funding index up to now (also done by every trade).
    function accrueFunding(uint256 id) external known(id) {
        _accrue(id);
    }

    // ---- views ----

    function marketCount() external view returns (uint256) {
        return markets.length;
    }

    function getMarket(uint256 id) public view known(id) returns (MarketView memory v) {
        Market storage m = markets[id];
        v.id = id;
        v.symbol = m.symbol;
        v.feed = address(m.feed);
        v.indexPrice = _indexPriceOrZero(m);
        if (v.indexPrice > 0) v.markPrice = _markFrom(v.indexPrice, m.skew, m.params.skewScale);
        v.skew = m.skew;
        v.oiLong = m.oiLong;
        v.oiShort = m.oiShort;
        v.fundingRate = _fundingRate(m);
        v.fundingIndex = _currentIndex(m, v.indexPrice);
        v.lastFundingTime = m.lastFundingTime;
        v.paused = m.paused;
        v.fundingSuspended = m.fundingSuspended;
        v.params = m.params;
    }

    function getMarkets() external view returns (MarketView[] memory all) {
        all = new MarketView[](markets.length);
        for (uint256 i = 0; i < markets.length; i++) {
            all[i] = getMarket(i);
        }
    }

    function getPosition(address account, uint256 id) external view known(id) returns (PositionView memory v) {
        Market storage m = markets[id];
        Position storage p = positions[account][id];
        v.size = p.size;
        v.entryPrice = p.entryPrice;
        v.margin = p.margin;
        uint256 index = _indexPriceOrZero(m);
        if (p.size == 0 || index == 0) {
            v.equity = p.margin;
            return v;
        }
        v.accruedFunding = -p.size * (_currentIndex(m, index) - p.fundingIndex) / IWAD;
        uint256 mark = _markFrom(index, m.skew, m.params.skewScale);
        v.unrealizedPnl = _pnl(p, _markFrom(index, m.skew - p.size / 2, m.params.skewScale));
        v.equity = v.margin + v.accruedFunding + v.unrealizedPnl;
        v.notional = _abs(p.size) * mark / WAD;
        v.liquidatable = v.equity < int256(v.notional * m.params.maintenanceMargin / WAD);
    }

    /// @notice Price a trade of sizeDelta would fill at now.
    function fillPrice(uint256 id, int256 sizeDelta) external view known(id) returns (uint256) {
        return _markPrice(id, sizeDelta);
    }

    // ---- internals ----

    function _checkParams(MarketParams calldata p) internal pure {
        if (
            p.maxLeverage < WAD || p.maintenanceMargin == 0 || p.maintenanceMargin >= WAD || p.takerFee >= WAD
                || p.skewScale == 0 || p.liquidationReward >= WAD
        ) revert InvalidParams();
    }

    function _indexPrice(uint256 id) internal view returns (uint256) {
        (, int256 answer,,,) = markets[id].feed.latestRoundData();
        if (answer <= 0) revert InvalidPrice(answer);
        return uint256(answer) * 10 ** (18 - markets[id].feed.decimals());
    }

    function _indexPriceOrZero(Market storage m) internal view returns (uint256) {
        (, int256 answer,,,) = m.feed.latestRoundData();
        if (answer <= 0) return 0;
        return uint256(answer) * 10 ** (18 - m.feed.decimals());
    }

    /// @dev Mark at the average skew over a trade of sizeDelta (0 = spot mark),
    /// so a trade pays for the premium it creates.
    function _markPrice(uint256 id, int256 sizeDelta) internal view returns (uint256) {
        Market storage m = markets[id];
        return _markFrom(_indexPrice(id), m.skew + sizeDelta / 2, m.params.skewScale);
    }

    function _markFrom(uint256 index, int256 skew, uint256 skewScale) internal pure returns (uint256) {
        int256 premium = skew * IWAD / int256(skewScale);
        int256 mark = int256(index) * (IWAD + premium) / IWAD;
        if (mark <= 0) revert InvalidPrice(mark);
        return uint256(mark);
    }

    function _fundingRate(Market storage m) internal view returns (int256) {
        if (m.fundingSuspended) return 0;
        int256 rate = int256(m.params.fundingCoeff) * m.skew / int256(m.params.skewScale);
        int256 cap = int256(m.params.maxFundingRate);
        if (rate > cap) return cap;
        if (rate < -cap) return -cap;
        return rate;
    }

    function _currentIndex(Market storage m, uint256 index) internal view returns (int256) {
        uint256 dt = block.timestamp - m.lastFundingTime;
        return m.fundingIndex + _fundingRate(m) * int256(index) / IWAD * int256(dt) / 1 days;
    }

    function _accrue(uint256 id) internal {
        Market storage m = markets[id];
        if (block.timestamp == m.lastFundingTime) return;
        int256 idx = _currentIndex(m, _indexPrice(id));
        if (idx != m.fundingIndex) {
            m.fundingIndex = idx;
            emit FundingAccrued(id, idx, _fundingRate(m), block.timestamp);
        }
        m.lastFundingTime = uint64(block.timestamp);
    }

    function _settleFunding(address account, uint256 id, Position storage p) internal {
        int256 idx = markets[id].fundingIndex;
        if (p.size != 0) {
            int256 owed = -p.size * (idx - p.fundingIndex) / IWAD;
            if (owed != 0) {
                p.margin += owed;
                emit FundingSettled(account, id, owed);
            }
        }
        p.fundingIndex = idx;
    }

    function _setSize(Market storage m, int256 oldSize, int256 newSize) internal {
        m.skew += newSize - oldSize;
        if (oldSize > 0) m.oiLong -= uint256(oldSize);
        else m.oiShort -= uint256(-oldSize);
        if (newSize > 0) m.oiLong += uint256(newSize);
        else m.oiShort += uint256(-newSize);
    }

    function _pnl(Position storage p, uint256 mark) internal view returns (int256) {
        if (p.size == 0) return 0;
        return p.size * (int256(mark) - int256(p.entryPrice)) / IWAD;
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return uint256(x >= 0 ? x : -x);
    }

    function _pull(address from, uint256 amount) internal {
        if (!collateral.transferFrom(from, address(this), amount)) revert TransferFailed();
    }

    function _push(address to, uint256 amount) internal {
        if (!collateral.transfer(to, amount)) revert TransferFailed();
    }
}
