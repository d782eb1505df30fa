// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title PoolRewards
/// @notice Cumulative Merkle rewards. Each epoch the owner posts the root of a tree whose leaves are
/// `(account, cumulative amount earned so far)`, hashed as OpenZeppelin StandardMerkleTree leaves:
/// `keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))))`.
/// `claim` pays `cumulative - alreadyClaimed`, so one claim against the latest root collects every
/// epoch since the account's previous claim. The contract holds the reward token; anyone may fund it.
contract PoolRewards is Ownable {
    using SafeERC20 for IERC20;

    /// @notice The reward token.
    IERC20 public immutable token;

    /// @notice Root of the latest epoch's tree.
    bytes32 public merkleRoot;
    /// @notice Latest posted epoch (0 = none yet).
    uint64 public epoch;
    /// @notice Cumulative amount already paid to each account.
    mapping(address account => uint256) public claimed;

    event RootPosted(uint64 indexed epoch, bytes32 root);
    event Claimed(address indexed account, uint256 amount, uint256 cumulative);

    error EpochNotIncreasing(uint64 latest, uint64 given);
    error ZeroRoot();
    error ZeroAccount();
    error InvalidProof(address account, uint256 cumulative);
    error NothingToClaim(address account, uint256 cumulative, uint256 alreadyClaimed);

    constructor(IERC20 rewardToken, address initialOwner) Ownable(initialOwner) {
        token = rewardToken;
    }

    /// @notice Posts the root of epoch `newEpoch`; epochs strictly increase.
    function postRoot(uint64 newEpoch, bytes32 root) external onlyOwner {
        if (root == bytes32(0)) revert ZeroRoot();
        uint64 latest = epoch;
        if (newEpoch <= latest) revert EpochNotIncreasing(latest, newEpoch);
        epoch = newEpoch;
        merkleRoot = root;
        emit RootPosted(newEpoch, root);
    }

    /// @notice Pays `account` what it earned up to the latest root and has not yet claimed.
    /// Anyone may submit the claim; the tokens always go to `account`.
    function claim(address account, uint256 cumulative, bytes32[] calldata proof) external {
        if (account == address(0)) revert ZeroAccount();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidProof(account, cumulative);
        uint256 already = claimed[account];
        if (cumulative <= already) revert NothingToClaim(account, cumulative, already);
        claimed[account] = cumulative;
        uint256 amount;
        unchecked {
            amount = cumulative - already;
        }
        emit Claimed(account, amount, cumulative);
        token.safeTransfer(account, amount);
    }
}
