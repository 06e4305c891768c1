#requires -Modules Pester
# Test-IdCardSimilarity: the threshold decision, offline.

BeforeAll {
    Import-Module $env:IDCARDVERIFY_TEST_MODULE -Force
    Set-IdCardVerifyConfig -Reset
}

Describe 'Test-IdCardSimilarity' {
    It 'decides <Similarity> against <Threshold> as <Expected>' -ForEach @(
        @{ Similarity = 70; Threshold = $null; Expected = $true }
        @{ Similarity = 69.99; Threshold = $null; Expected = $false }
        @{ Similarity = 99.76; Threshold = $null; Expected = $true }
        @{ Similarity = 79.5; Threshold = 80; Expected = $false }
        @{ Similarity = 80; Threshold = 80; Expected = $true }
        @{ Similarity = 0; Threshold = 0; Expected = $true }
    ) {
        $params = @{ Similarity = $Similarity }
        if ($null -ne $Threshold) { $params.Threshold = $Threshold }
        $answer = Test-IdCardSimilarity @params
        $answer | Should -BeOfType ([bool])
        $answer | Should -Be $Expected
    }

    It 'takes Similarity by property name from verification results' {
        $results = 'https://cards.test/sim-85.jpg', 'https://cards.test/sim-75.jpg', 'https://cards.test/nomatch.jpg' |
            Invoke-IdCardVerification -Sandbox
        $results | Test-IdCardSimilarity -Threshold 80 | Should -Be @($true, $false, $false)
    }

    It 'treats a missing similarity as no match' {
        [pscustomobject]@{ Similarity = $null } | Test-IdCardSimilarity | Should -BeFalse
    }

    It 'gives the decision and the quoted false-accept rate with -Detailed' {
        $d = Test-IdCardSimilarity 82.5 -Threshold 80 -Detailed
        $d | Should -BeOfType ([IdCardVerify.SimilarityDecision])
        $d.Similarity | Should -Be 82.5
        $d.Threshold | Should -Be 80
        $d.IsMatch | Should -BeTrue
        $d.FalseAcceptRate | Should -Be 0.0001
        (Test-IdCardSimilarity 75 -Detailed).FalseAcceptRate | Should -Be 0.001
        (Test-IdCardSimilarity 75 -Threshold 60 -Detailed).FalseAcceptRate | Should -BeNullOrEmpty
        (Test-IdCardSimilarity 75 -Detailed).FalseAcceptRateNote | Should -Match '1 in 1,000 at 70'
    }

    It 'refuses a similarity outside 0-100 for that input and goes on' {
        $answers = 50, 150, 90 | Test-IdCardSimilarity -ErrorVariable errs -ErrorAction SilentlyContinue
        $answers | Should -Be @($false, $true)
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SimilarityOutOfRange,*'
    }

    It 'refuses a threshold outside 0-100' {
        { Test-IdCardSimilarity 50 -Threshold 120 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}
