package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.mesh.Announcement;
import io.kadmesh.core.mesh.AnnouncementStore.Saved;
import io.kadmesh.core.mesh.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAnnouncementStoreTest {
  @TempDir Path dir;

  private static final Announcement PLAIN = Announcement.of("orders", "10.0.0.1:8080",
      Map.of("zone", "eu-1", "weight", "3"), Duration.ofSeconds(30), null);
  private static final Announcement CHECKED = Announcement.of("ünïcode", "[::1]:9090", Map.of(),
      Duration.ofMillis(5500), new HealthCheck("", Duration.ofSeconds(2)));

  @Test
  void load_withNoFile_isEmpty() throws Exception {
    assertThat(new FileAnnouncementStore(dir).load()).isEqualTo(Saved.EMPTY);
  }

  @Test
  void save_thenLoad_givesBackTheAnnouncementsInOrderAndTheHighWaterMark() throws Exception {
    FileAnnouncementStore store = new FileAnnouncementStore(dir);
    store.save(new Saved(List.of(PLAIN, CHECKED), 1_893_456_010_000L));

    Saved loaded = new FileAnnouncementStore(dir).load();

    assertThat(loaded.announcements()).containsExactly(PLAIN, CHECKED);
    assertThat(loaded.seqHighWater()).isEqualTo(1_893_456_010_000L);
    assertThat(dir.resolve("announcements.tmp")).doesNotExist();
  }

  @Test
  void save_replacesWhatWasSaved() throws Exception {
    FileAnnouncementStore store = new FileAnnouncementStore(dir);
    store.save(new Saved(List.of(PLAIN, CHECKED), 7));
    store.save(new Saved(List.of(CHECKED), 9));

    assertThat(store.load()).isEqualTo(new Saved(List.of(CHECKED), 9));
  }

  @Test
  void load_ofAFileCutShort_isAnIOExceptionNamingIt() throws Exception {
    FileAnnouncementStore store = new FileAnnouncementStore(dir);
    store.save(new Saved(List.of(PLAIN, CHECKED), 7));
    byte[] bytes = Files.readAllBytes(store.file());
    Files.write(store.file(), java.util.Arrays.copyOf(bytes, bytes.length - 5));

    assertThatThrownBy(store::load).isInstanceOf(IOException.class)
        .hasMessageContaining("announcements").hasMessageContaining("cut short or corrupt");
  }

  @Test
  void load_ofAnotherFile_isAnIOExceptionSayingSo() throws Exception {
    Files.writeString(dir.resolve("announcements"), "\u0000\u0003abc");

    assertThatThrownBy(() -> new FileAnnouncementStore(dir).load()).isInstanceOf(IOException.class)
        .hasMessageContaining("not a kadmesh announcements file");
  }
}
