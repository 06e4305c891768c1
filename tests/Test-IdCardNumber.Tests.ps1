#requires -Modules Pester
# Test-IdCardNumber on what people paste: first-generation numbers, full-width digits, the view.

Describe 'Test-IdCardNumber' {
    BeforeAll {
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive
    }

    AfterAll { Complete-TestFile $TestConfig }

    Context 'Test-IdCardNumber on what people paste' {
        It 'recognises a first-generation 15-digit number and gives its 18-digit form' {
            $report = Test-IdCardNumber 110105491231002 -Detailed
            $report.IsValid | Should -BeFalse
            @($report.Reasons).Count | Should -Be 1
            $report.Reasons[0] | Should -Match 'first-generation 15-digit number'
            $report.Reasons[0] | Should -Not -Match 'not a real date'
            $report.IdNumber18 | Should -Be '11010519491231002X'
            Test-IdCardNumber $report.IdNumber18 | Should -BeTrue
            $report.BirthDate | Should -Be ([datetime]'1949-12-31')
            $report.Sex | Should -Be '女'
            $report.Province | Should -Be '北京'
        }

        It 'reads full-width digits and Ｘ as ASCII, with a note' {
            $report = Test-IdCardNumber '１１０１０１１９９００３０７８０３Ｘ' -Detailed
            $report.IsValid | Should -BeTrue
            $report.IdNumber18 | Should -Be '11010119900307803X'
            $report.Notes | Should -Match 'full-width'
            (Test-IdCardNumber 11010119900307803X -Detailed).Notes | Should -BeNullOrEmpty
        }

        It 'shows BirthDate as a date' {
            $shown = Test-IdCardNumber 11010119900307803X -Detailed | Out-String
            $shown | Should -Match 'BirthDate\s*:\s*1990-03-07\s'
            $shown | Should -Not -Match '00:00:00'
        }
    }
}
