// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title PoolTestToken
/// @notice Plain OpenZeppelin ERC-20 for tests and gas measurements; only the deployer may mint.
contract PoolTestToken is ERC20 {
    address private immutable _minter;

    error NotMinter(address caller);

    constructor(string memory name_, string memory symbol_, uint256 initialSupply) ERC20(name_, symbol_) {
        _minter = msg.sender;
        _mint(msg.sender, initialSupply);
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }
}
