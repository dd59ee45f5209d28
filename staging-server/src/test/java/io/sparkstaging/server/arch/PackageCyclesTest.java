package io.sparkstaging.server.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The server's packages show the data flow only if none of them depends, round about, on itself. */
class PackageCyclesTest {
  @Test
  void noPackageOfTheServerDependsOnItselfThroughOthers() {
    var classes =
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sparkstaging.server");
    slices().matching("io.sparkstaging.server.(*)..").should().beFreeOfCycles().check(classes);
  }
}
