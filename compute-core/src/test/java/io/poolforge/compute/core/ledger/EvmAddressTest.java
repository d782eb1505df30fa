package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.PoolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvmAddressTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        // EIP-55 test vectors
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886e0f7030069857d2e4169ee7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D"
      })
  void acceptsLowerUpperAndChecksummed(String address) {
    assertThat(EvmAddress.isValid(address)).isTrue();
    assertThat(EvmAddress.canonical("a", address)).isEqualTo(address.toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", // checksum broken by one letter's case
        "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00",
        "0xzzaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        "EQD4FPq-PRDieyQKkizFTRtSDyucUIqrj0v_zXJmqaDp6_0t",
        ""
      })
  void rejectsOthersNamingTheField(String address) {
    assertThat(EvmAddress.isValid(address)).isFalse();
    assertThatThrownBy(() -> EvmAddress.canonical("payoutAddress", address))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("payoutAddress"))
        .hasMessageContaining("not an EVM address");
  }
}
