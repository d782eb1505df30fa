// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title HashCheck
/// @notice On-chain checks of the built-in hashing task results, with the SHA-256 precompile (0x02).
contract HashCheck {
    error BadHeaderLength(uint256 length);

    /// @notice Whether `digest` is the SHA-256 of `message`.
    function checkSha256(bytes calldata message, bytes32 digest) external pure returns (bool) {
        return sha256(message) == digest;
    }

    /// @notice Bitcoin-style proof-of-work hash of an 80-byte header with `nonce` written as a
    /// little-endian uint32 at byte offset 76 (what the header held there is ignored), as the
    /// little-endian 256-bit number Bitcoin compares against the target.
    function powHash(bytes calldata header, uint32 nonce) public pure returns (uint256) {
        if (header.length != 80) revert BadHeaderLength(header.length);
        bytes memory h = bytes.concat(header[:76], bytes4(_reverse32(nonce)));
        return _reverse256(uint256(sha256(abi.encodePacked(sha256(h)))));
    }

    /// @notice Whether the header with `nonce` meets `target` (hash <= target, as Bitcoin).
    function checkPow(bytes calldata header, uint32 nonce, uint256 target) external pure returns (bool) {
        return powHash(header, nonce) <= target;
    }

    function _reverse32(uint32 v) private pure returns (uint32) {
        v = ((v & 0xff00ff00) >> 8) | ((v & 0x00ff00ff) << 8);
        return (v >> 16) | (v << 16);
    }

    function _reverse256(uint256 v) private pure returns (uint256) {
        v = ((v & 0xFF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00) >> 8)
            | ((v & 0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF) << 8);
        v = ((v & 0xFFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000) >> 16)
            | ((v & 0x0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF) << 16);
        v = ((v & 0xFFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000) >> 32)
            | ((v & 0x00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF) << 32);
        v = ((v & 0xFFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF0000000000000000) >> 64)
            | ((v & 0x0000000000000000FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF) << 64);
        return (v >> 128) | (v << 128);
    }
}
