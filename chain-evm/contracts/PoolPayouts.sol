// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title PoolPayouts
/// @notice Pays one settlement batch (many ERC-20 or native transfers) in a single transaction.
/// Each payer has its own namespace of settlement ids, and an id can be paid only once.
/// @dev The contract never holds funds: ERC-20 amounts move with `transferFrom(payer, recipient)`
/// (the payer approves this contract once), native amounts arrive as `msg.value` and are forwarded
/// in the same call. Paid ids are bits in a per-payer bitmap (OpenZeppelin BitMaps), so ids that
/// differ only in their lowest byte (e.g. consecutive epochs of one pool) share one storage word
/// and marking an id as paid costs a warm-ish 5,000 gas instead of a fresh 22,100.
///
/// Calldata is compact: every recipient is one 32-byte word, `amount << 160 | recipient`, so an
/// amount is limited to 96 bits (about 7.9e28 base units, 79 billion tokens of 18 decimals).
contract PoolPayouts is ReentrancyGuardTransient {
    using BitMaps for BitMaps.BitMap;

    /// @dev `transferFrom(address,address,uint256)` selector, left-aligned.
    bytes32 private constant _TRANSFER_FROM = 0x23b872dd00000000000000000000000000000000000000000000000000000000;

    mapping(address payer => BitMaps.BitMap) private _paid;

    /// @notice One batch was paid in full.
    event BatchPaid(
        address indexed payer, bytes32 indexed settlementId, address indexed token, uint256 recipients, uint256 total
    );

    error AlreadyPaid(bytes32 settlementId);
    error EmptyBatch();
    error ZeroRecipient(uint256 index);
    error ZeroAmount(uint256 index);
    error TokenNotContract(address token);
    error TokenTransferFailed(uint256 index, address recipient);
    error NativeTransferFailed(uint256 index, address recipient);
    error WrongValue(uint256 expected, uint256 sent);

    /// @notice Whether `payer` already paid `settlementId`.
    function isPaid(address payer, bytes32 settlementId) external view returns (bool) {
        return _paid[payer].get(uint256(settlementId));
    }

    /// @notice Pays every word of `packed` (`amount << 160 | recipient`) in `token`, or in the native
    /// coin when `token` is the zero address (then `msg.value` must equal the total).
    /// Reverts as a whole if any transfer fails, so a batch is paid entirely or not at all.
    function pay(bytes32 settlementId, address token, uint256[] calldata packed) external payable nonReentrant {
        uint256 n = packed.length;
        if (n == 0) revert EmptyBatch();
        BitMaps.BitMap storage paid = _paid[msg.sender];
        uint256 key = uint256(settlementId);
        if (paid.get(key)) revert AlreadyPaid(settlementId);
        paid.set(key);

        uint256 total;
        if (token == address(0)) {
            // Two passes: check every word and the total against msg.value first, so that a short
            // msg.value is reported as WrongValue rather than as a failed transfer.
            for (uint256 i; i < n; ++i) {
                uint256 word = packed[i];
                if (address(uint160(word)) == address(0)) revert ZeroRecipient(i);
                if (word >> 160 == 0) revert ZeroAmount(i);
                unchecked {
                    total += word >> 160; // n < 2^64 words of < 2^96 each: cannot overflow
                }
            }
            if (total != msg.value) revert WrongValue(total, msg.value);
            for (uint256 i; i < n; ++i) {
                uint256 word = packed[i];
                address to = address(uint160(word));
                (bool ok,) = to.call{value: word >> 160}("");
                if (!ok) revert NativeTransferFailed(i, to);
            }
        } else {
            if (msg.value != 0) revert WrongValue(0, msg.value);
            if (token.code.length == 0) revert TokenNotContract(token);
            total = _payToken(token, packed);
        }
        emit BatchPaid(msg.sender, settlementId, token, n, total);
    }

    /// @dev The hot loop, in assembly so that one recipient costs one warm CALL plus what the
    /// token itself spends. Accepts tokens that return `true` and tokens that return nothing.
    /// Bubbles the token's own revert data (e.g. ERC20InsufficientAllowance) unchanged; its own
    /// failures stop the loop and are reported as custom errors by the Solidity code below.
    function _payToken(address token, uint256[] calldata packed) private returns (uint256 total) {
        uint256 failure; // 0 = none, else (index << 2) | kind: 1 zero recipient, 2 zero amount, 3 refused
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, _TRANSFER_FROM)
            mstore(add(ptr, 0x04), caller())
            let end := add(packed.offset, shl(5, packed.length))
            for { let p := packed.offset } lt(p, end) { p := add(p, 0x20) } {
                let word := calldataload(p)
                let to := and(word, 0xffffffffffffffffffffffffffffffffffffffff)
                if iszero(to) {
                    failure := or(shl(2, shr(5, sub(p, packed.offset))), 1)
                    break
                }
                if iszero(shr(160, word)) {
                    failure := or(shl(2, shr(5, sub(p, packed.offset))), 2)
                    break
                }
                total := add(total, shr(160, word))
                mstore(add(ptr, 0x24), to)
                mstore(add(ptr, 0x44), shr(160, word))
                mstore(0x00, 0)
                if iszero(call(gas(), token, 0, ptr, 0x64, 0x00, 0x20)) {
                    returndatacopy(ptr, 0, returndatasize())
                    revert(ptr, returndatasize())
                }
                // Success is `true` returned, or no return data at all (pre-ERC-20-final tokens).
                if iszero(or(iszero(returndatasize()), and(gt(returndatasize(), 31), eq(mload(0x00), 1)))) {
                    failure := or(shl(2, shr(5, sub(p, packed.offset))), 3)
                    break
                }
            }
        }
        if (failure != 0) {
            uint256 index = failure >> 2;
            uint256 kind = failure & 3;
            if (kind == 1) revert ZeroRecipient(index);
            if (kind == 2) revert ZeroAmount(index);
            revert TokenTransferFailed(index, address(uint160(packed[index])));
        }
    }
}
